import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeClip } from '../../../test/media-fixtures';
import { mdatHeader, mp4Index, OutputSample } from './mp4-index';
import { readMp4 } from './mp4-reader';

/** The index the copy join writes, read back by the reader it is checked with and by ffprobe's rules. */
describe('mp4Index', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mp4-index-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([false, true])('round-trips samples, chunks and edits (64-bit offsets: %s)', async (largeFile) => {
    const source = readMp4(await makeClip(dir, `source-${largeFile}`));
    const [video, audio] = [source.tracks.find((t) => t.handler === 'vide')!, source.tracks.find((t) => t.handler === 'soun')!];
    const base = largeFile ? 5 * 2 ** 30 : 4096;
    // Video runs of 3 neighbouring samples, audio frames each on their own: both must come back sample by sample.
    const pictures: OutputSample[] = Array.from({ length: 12 }, (_, i) => ({
      offset: base + Math.floor(i / 3) * 10_000 + (i % 3) * 1000,
      size: 1000,
      duration: 512,
      compositionOffset: i % 2 ? -512 : 1024,
      sync: i % 6 === 0,
    }));
    const frames: OutputSample[] = Array.from({ length: 9 }, (_, i) => ({
      offset: base + 50_000 + i * 400,
      size: 300,
      duration: 1024,
      compositionOffset: 0,
      sync: true,
    }));
    const index = mp4Index(
      [
        {
          handler: 'vide',
          timescale: 12800,
          sampleEntry: video.sampleEntries[0],
          samples: pictures,
          editMediaTime: 1024,
          presentedDuration: 6144,
          width: 320,
          height: 240,
        },
        {
          handler: 'soun',
          timescale: 48000,
          sampleEntry: audio.sampleEntries[0],
          samples: frames,
          editMediaTime: 1024,
          presentedDuration: 8192,
          rollDistance: -1,
        },
      ],
      largeFile,
    );
    const path = join(dir, `index-${largeFile}.mp4`);
    writeFileSync(path, Buffer.concat([index, mdatHeader(16, largeFile), Buffer.alloc(16)]));

    const back = readMp4(path);
    expect(back.movieTimescale).toBe(12800);
    const [v, a] = back.tracks;
    expect(Array.from(v.samples.offsets)).toEqual(pictures.map((p) => p.offset));
    expect(Array.from(v.samples.compositionOffsets)).toEqual(pictures.map((p) => p.compositionOffset));
    expect(Array.from(v.samples.sync ?? [])).toEqual(pictures.map((p) => (p.sync ? 1 : 0)));
    expect(Array.from(a.samples.offsets)).toEqual(frames.map((f) => f.offset));
    expect(Array.from(a.samples.sizes)).toEqual(frames.map((f) => f.size));
    expect(v.edits).toEqual([{ segmentDuration: 6144, mediaTime: 1024, rate: 1 }]);
    expect(a.edits).toEqual([{ segmentDuration: Math.round((8192 * 12800) / 48000), mediaTime: 1024, rate: 1 }]);
    expect(index.includes(Buffer.from(largeFile ? 'co64' : 'stco'))).toBe(true);
  });
});
