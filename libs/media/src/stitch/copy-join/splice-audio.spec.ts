import { startStretchEncoder } from './splice-audio';

describe('the joins’ audio encoder', () => {
  it('is not started for a copy join of one clip (no joins; each ffmpeg start costs ~75 ms of CPU)', async () => {
    const encoder = startStretchEncoder(0);
    // Only the stand-in answers so: a started ffmpeg fed nothing fails with its own error.
    await expect(encoder.run(Buffer.alloc(0))).rejects.toThrow('a copy join of one clip has no joins to encode');
    expect(() => encoder.cancel()).not.toThrow();
  });
});
