import { moveItem, videoTypeOf } from './clip-order';

describe('reordering clips', () => {
  const clips = ['a', 'b', 'c', 'd'];

  it('moves a clip up, down and to either end', () => {
    expect(moveItem(clips, 2, 1)).toEqual(['a', 'c', 'b', 'd']);
    expect(moveItem(clips, 0, 1)).toEqual(['b', 'a', 'c', 'd']);
    expect(moveItem(clips, 3, 0)).toEqual(['d', 'a', 'b', 'c']);
    expect(clips).toEqual(['a', 'b', 'c', 'd']);
  });

  it('does nothing past either end (the same array, so the form can tell)', () => {
    expect(moveItem(clips, 0, -1)).toBe(clips);
    expect(moveItem(clips, 3, 4)).toBe(clips);
    expect(moveItem(clips, 7, 0)).toBe(clips);
  });
});

describe('the media type declared for a local file', () => {
  it("uses the browser's video type, else the extension's; refuses what is no video", () => {
    expect(videoTypeOf({ name: 'clip.webm', type: 'video/webm' })).toBe('video/webm');
    expect(videoTypeOf({ name: 'CLIP.MKV', type: '' })).toBe('video/x-matroska');
    expect(videoTypeOf({ name: 'clip.mov', type: 'application/octet-stream' })).toBe('video/quicktime');
    expect(videoTypeOf({ name: 'notes.txt', type: 'text/plain' })).toBeUndefined();
    expect(videoTypeOf({ name: 'archive', type: '' })).toBeUndefined();
  });
});
