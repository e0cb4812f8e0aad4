import { BitReader } from './bit-reader';

/** AAC-LC as an MP4 sample entry describes it (AudioSpecificConfig). */
export interface AacConfig {
  objectType: number;
  sampleRate: number;
  channels: number;
  /** The AudioSpecificConfig bytes, for comparing clips. */
  bytes: Buffer;
}

/** How one AAC frame was windowed: splicing two encodings is clean only where their windows match. */
export interface AacWindow {
  /** 0 only long, 1 long start, 2 eight short, 3 long stop. */
  sequence: number;
  /** 0 sine, 1 Kaiser-Bessel derived. */
  shape: number;
}

export const AAC_FRAME_SAMPLES = 1024;
export const AAC_LC = 2;
const SAMPLE_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/** Reads the AudioSpecificConfig out of an esds box body; undefined when it is not plain AAC. */
export function parseEsds(esds: Buffer): AacConfig | undefined {
  let at = 4;
  const descriptor = (tag: number): number | undefined => {
    if (esds[at] !== tag) return undefined;
    at++;
    let length = 0;
    for (let i = 0; i < 4; i++) {
      const byte = esds[at++];
      length = length * 128 + (byte & 0x7f);
      if (!(byte & 0x80)) break;
    }
    return length;
  };
  if (descriptor(0x03) === undefined) return undefined;
  const flags = esds[at + 2];
  at += 3 + (flags & 0x80 ? 2 : 0) + (flags & 0x20 ? 2 : 0);
  if (flags & 0x40) at += 1 + esds[at];
  if (descriptor(0x04) === undefined || esds[at] !== 0x40) return undefined;
  at += 13;
  const length = descriptor(0x05);
  if (length === undefined || length < 2) return undefined;
  const bytes = Buffer.from(esds.subarray(at, at + length));
  const bits = new BitReader(bytes);
  const objectType = bits.read(5);
  const rateIndex = bits.read(4);
  const sampleRate = rateIndex === 15 ? bits.read(24) : SAMPLE_RATES[rateIndex];
  const channels = bits.read(4);
  if (!sampleRate) return undefined;
  return { objectType, sampleRate, channels, bytes };
}

/** The window of a raw AAC frame's first channel element; undefined when it cannot tell (separate windows, other elements). */
export function aacWindow(frame: Buffer): AacWindow | undefined {
  try {
    const bits = new BitReader(frame);
    const element = bits.read(3);
    bits.read(4);
    if (element === 0)
      bits.read(8); // single channel: global_gain comes before ics_info
    else if (element !== 1 || !bits.flag()) return undefined; // channel pair without a common window
    bits.read(1);
    return { sequence: bits.read(2), shape: bits.read(1) };
  } catch {
    return undefined;
  }
}

/** A 7-byte ADTS header, so raw frames from an MP4 can be fed to a decoder as a plain .aac stream. */
export function adtsHeader(config: AacConfig, frameBytes: number): Buffer {
  const rateIndex = SAMPLE_RATES.indexOf(config.sampleRate);
  const length = frameBytes + 7;
  return Buffer.from([
    0xff,
    0xf1,
    ((config.objectType - 1) << 6) | (rateIndex << 2) | (config.channels >> 2),
    ((config.channels & 3) << 6) | (length >> 11),
    (length >> 3) & 0xff,
    ((length & 7) << 5) | 0x1f,
    0xfc,
  ]);
}

/** Splits an ADTS stream into its raw frames. */
export function adtsFrames(stream: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  for (let at = 0; at + 7 <= stream.length;) {
    if (stream[at] !== 0xff || (stream[at + 1] & 0xf0) !== 0xf0) throw new Error(`no ADTS sync word at byte ${at}`);
    const headerBytes = stream[at + 1] & 1 ? 7 : 9;
    const length = ((stream[at + 3] & 3) << 11) | (stream[at + 4] << 3) | (stream[at + 5] >> 5);
    frames.push(stream.subarray(at + headerBytes, at + length));
    at += length;
  }
  return frames;
}

export function canSpliceAacWindows(before: AacWindow | undefined, after: AacWindow | undefined): boolean {
  // The overlap between the two frames must be a long window on both sides.
  return !!before && !!after && (before.sequence === 0 || before.sequence === 3) && (after.sequence === 0 || after.sequence === 1);
}

/** Syntax elements a frame may start with: the channel's own element (SCE mono, CPE stereo), data or fill. */
const FIRST_ELEMENTS = { mono: [0, 4, 6], stereo: [1, 4, 6] };

/** Cheap structural check of a raw AAC frame: not empty, and starting with an element its layout allows. */
export function checkAacFrame(frame: Buffer, channels: number): string | undefined {
  if (frame.length === 0) return 'an audio frame is empty';
  const element = frame[0] >> 5;
  return (channels === 1 ? FIRST_ELEMENTS.mono : FIRST_ELEMENTS.stereo).includes(element) ? undefined : 'an audio frame starts with an invalid element';
}
