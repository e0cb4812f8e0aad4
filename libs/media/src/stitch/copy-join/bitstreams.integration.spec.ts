import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeClip } from '../../../test/media-fixtures';
import { aacWindow, adtsFrames, adtsHeader, canSpliceAacWindows, checkAacFrame, parseEsds } from './aac';
import { checkAvcSample, parseAvcConfig, parseSps } from './avc';
import { AUDIO_ENTRY_FIELDS, inspectCopyClip, VISUAL_ENTRY_FIELDS } from './copy-clip';
import { readMp4, sampleEntryChild } from './mp4-reader';

/** The in-process readers of H.264 and AAC headers, on files made by ffmpeg. */
describe('bitstream readers (real ffmpeg files)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bitstreams-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const avcOf = (path: string) => parseAvcConfig(sampleEntryChild(readMp4(path).tracks[0].sampleEntries[0], VISUAL_ENTRY_FIELDS, 'avcC')!);

  it('reads size, pixel aspect and range from the sequence parameter set', async () => {
    const plain = parseSps(avcOf(await makeClip(dir, 'plain')).sps[0]);
    expect(plain).toMatchObject({
      profileIdc: 100,
      chromaFormatIdc: 1,
      bitDepth: 8,
      frameMbsOnly: true,
      width: 320,
      height: 240,
      sar: { num: 1, den: 1 },
      fullRange: false,
    });
    expect(parseSps(avcOf(await makeClip(dir, 'anamorphic', { sar: '4/3' })).sps[0]).sar).toEqual({ num: 4, den: 3 });
    expect(parseSps(avcOf(await makeClip(dir, 'full-range', { pixFmt: 'yuvj420p' })).sps[0]).fullRange).toBe(true);
    expect(parseSps(avcOf(await makeClip(dir, 'fields', { interlaced: true })).sps[0]).frameMbsOnly).toBe(false);
  });

  it('refuses, with a reason, what the copy join must not copy', async () => {
    expect(inspectCopyClip(await makeClip(dir, 'anamorphic-2', { sar: '4/3' }))).toBe('non-square pixels');
    expect(inspectCopyClip(await makeClip(dir, 'fields-2', { interlaced: true }))).toBe('may be interlaced');
    expect(inspectCopyClip(await makeClip(dir, 'rotated', { rotate: true }))).toBe('rotated or flipped');
    expect(inspectCopyClip(await makeClip(dir, 'silent', { audio: false }))).toBe('1 track(s) instead of one video and one audio');
    expect(typeof inspectCopyClip(await makeClip(dir, 'plain-2'))).toBe('object');
  });

  it("reads the AAC configuration and each frame's window, and frames raw AAC as ADTS", async () => {
    const path = await makeClip(dir, 'tone');
    const file = readMp4(path);
    const audio = file.tracks.find((t) => t.handler === 'soun')!;
    const config = parseEsds(sampleEntryChild(audio.sampleEntries[0], AUDIO_ENTRY_FIELDS[0], 'esds')!)!;
    expect(config).toMatchObject({ objectType: 2, sampleRate: 48000, channels: 2 });
    const frames = [Buffer.from([0x21, 0x10, 0x05]), Buffer.from([0x21, 0x1b, 0xff, 0x00])];
    expect(adtsFrames(Buffer.concat(frames.flatMap((f) => [adtsHeader(config, f.length), f])))).toEqual(frames);
    // CPE, tag 0, common window, window sequence 0 (only long), shape 1 (KBD).
    expect(aacWindow(Buffer.from([0b0010_0001, 0b0001_0000]))).toEqual({ sequence: 0, shape: 1 });
    expect(canSpliceAacWindows({ sequence: 0, shape: 1 }, { sequence: 2, shape: 0 })).toBe(false);
    expect(checkAacFrame(Buffer.from([0b1110_0000]), 2)).toMatch(/invalid element/);
  });

  it('tells a well-formed H.264 sample from a damaged one', () => {
    const nal = (type: number, length: number) => Buffer.concat([Buffer.from([0, 0, 0, length]), Buffer.from([0x60 | type]), Buffer.alloc(length - 1, 7)]);
    expect(checkAvcSample(Buffer.concat([nal(6, 5), nal(5, 20)]), 4)).toBeUndefined();
    expect(checkAvcSample(Buffer.concat([nal(5, 20)]).subarray(0, 15), 4)).toMatch(/longer than itself/);
    expect(checkAvcSample(Buffer.from([0, 0, 0, 2, 0x85, 0]), 4)).toMatch(/invalid NAL unit header/);
  });
});
