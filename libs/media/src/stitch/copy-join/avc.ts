import { BitReader } from './bit-reader';

/** An avcC box: how H.264 samples are framed and the parameter sets a decoder starts from. */
export interface AvcConfig {
  /** Bytes in each NAL unit's length prefix inside samples (1, 2 or 4). */
  nalLengthSize: number;
  sps: Buffer[];
  pps: Buffer[];
}

/** What the first sequence parameter set says about the picture. */
export interface SpsFacts {
  profileIdc: number;
  chromaFormatIdc: number;
  bitDepth: number;
  /** false when pictures may be coded as fields (interlaced or MBAFF). */
  frameMbsOnly: boolean;
  width: number;
  height: number;
  sar: { num: number; den: number };
  fullRange: boolean;
}

const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);
/** H.264 Table E-1: aspect_ratio_idc → sample aspect ratio. */
const ASPECT_RATIOS: Array<[number, number]> = [
  [0, 0],
  [1, 1],
  [12, 11],
  [10, 11],
  [16, 11],
  [40, 33],
  [24, 11],
  [20, 11],
  [32, 11],
  [80, 33],
  [18, 11],
  [15, 11],
  [64, 33],
  [160, 99],
  [4, 3],
  [3, 2],
  [2, 1],
];
export const NAL_IDR = 5;

export function parseAvcConfig(avcC: Buffer): AvcConfig {
  const nalLengthSize = (avcC[4] & 3) + 1;
  let at = 5;
  const readSets = (count: number) => {
    const sets: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      const length = avcC.readUInt16BE(at);
      sets.push(Buffer.from(avcC.subarray(at + 2, at + 2 + length)));
      at += 2 + length;
    }
    return sets;
  };
  const sps = readSets(avcC[at++] & 0x1f);
  const pps = readSets(avcC[at++]);
  return { nalLengthSize, sps, pps };
}

/** Parses a sequence parameter set (NAL header included) up to the colour range in its VUI. */
export function parseSps(nal: Buffer): SpsFacts {
  const bits = new BitReader(removeEmulationPrevention(nal.subarray(1)));
  const profileIdc = bits.read(8);
  bits.read(16); // constraint flags, level
  bits.unsigned(); // seq_parameter_set_id
  let chromaFormatIdc = 1;
  let bitDepth = 8;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = bits.unsigned();
    if (chromaFormatIdc === 3) bits.read(1);
    bitDepth = bits.unsigned() + 8;
    bits.unsigned(); // chroma bit depth
    bits.read(1);
    if (bits.flag()) {
      for (let i = 0; i < (chromaFormatIdc === 3 ? 12 : 8); i++) if (bits.flag()) skipScalingList(bits, i < 6 ? 16 : 64);
    }
  }
  bits.unsigned(); // log2_max_frame_num
  const pocType = bits.unsigned();
  if (pocType === 0) bits.unsigned();
  else if (pocType === 1) {
    bits.read(1);
    bits.signed();
    bits.signed();
    const cycle = bits.unsigned();
    for (let i = 0; i < cycle; i++) bits.signed();
  }
  bits.unsigned(); // max_num_ref_frames
  bits.read(1);
  const widthMbs = bits.unsigned() + 1;
  const heightMapUnits = bits.unsigned() + 1;
  const frameMbsOnly = bits.flag();
  if (!frameMbsOnly) bits.read(1);
  bits.read(1); // direct_8x8_inference
  let crop = [0, 0, 0, 0];
  if (bits.flag()) crop = [bits.unsigned(), bits.unsigned(), bits.unsigned(), bits.unsigned()];
  const cropUnitX = chromaFormatIdc === 1 || chromaFormatIdc === 2 ? 2 : 1;
  const cropUnitY = (chromaFormatIdc === 1 ? 2 : 1) * (frameMbsOnly ? 1 : 2);
  const width = widthMbs * 16 - cropUnitX * (crop[0] + crop[1]);
  const height = heightMapUnits * 16 * (frameMbsOnly ? 1 : 2) - cropUnitY * (crop[2] + crop[3]);
  let sar = { num: 1, den: 1 };
  let fullRange = false;
  if (bits.flag()) {
    if (bits.flag()) {
      const idc = bits.read(8);
      if (idc === 255) sar = { num: bits.read(16), den: bits.read(16) };
      else if (ASPECT_RATIOS[idc] && idc > 0) sar = { num: ASPECT_RATIOS[idc][0], den: ASPECT_RATIOS[idc][1] };
    }
    if (bits.flag()) bits.read(1);
    if (bits.flag()) {
      bits.read(3);
      fullRange = bits.flag();
    }
  }
  if (sar.num === 0 || sar.den === 0) sar = { num: 1, den: 1 };
  return { profileIdc, chromaFormatIdc, bitDepth, frameMbsOnly, width, height, sar, fullRange };
}

function skipScalingList(bits: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let i = 0; i < size; i++) {
    if (next !== 0) next = (last + bits.signed() + 256) % 256;
    last = next === 0 ? last : next;
  }
}

/** Drops the 0x03 bytes an encoder inserts after two zero bytes so payloads never look like start codes. */
function removeEmulationPrevention(bytes: Buffer): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    if (i >= 2 && bytes[i] === 3 && bytes[i - 1] === 0 && bytes[i - 2] === 0) continue;
    out.push(bytes[i]);
  }
  return Uint8Array.from(out);
}

/** NAL unit types in one length-prefixed sample, in order. */
export function nalTypes(sample: Buffer, nalLengthSize: number): number[] {
  const types: number[] = [];
  for (let at = 0; at + nalLengthSize < sample.length;) {
    const length = sample.readUIntBE(at, nalLengthSize);
    if (length === 0 || at + nalLengthSize + length > sample.length) break;
    types.push(sample[at + nalLengthSize] & 0x1f);
    at += nalLengthSize + length;
  }
  return types;
}

/** The parameter sets as length-prefixed NAL units, to put in front of a sample that needs them in band. */
export function inBandParameterSets(config: AvcConfig): Buffer {
  const prefix = (nal: Buffer) => {
    const length = Buffer.alloc(config.nalLengthSize);
    length.writeUIntBE(nal.length, 0, config.nalLengthSize);
    return Buffer.concat([length, nal]);
  };
  return Buffer.concat([...config.sps, ...config.pps].map(prefix));
}

/** Structural check of a length-prefixed H.264 sample: NAL units that exactly fill it, each with a valid header. */
export function checkAvcSample(sample: Buffer, nalLengthSize: number): string | undefined {
  let at = 0;
  while (at < sample.length) {
    if (at + nalLengthSize >= sample.length) return 'a video sample ends inside a NAL unit header';
    const length = sample.readUIntBE(at, nalLengthSize);
    const header = sample[at + nalLengthSize];
    if (length === 0 || at + nalLengthSize + length > sample.length) return 'a video sample holds a NAL unit longer than itself';
    if (header & 0x80 || (header & 0x1f) === 0) return 'a video sample holds an invalid NAL unit header';
    at += nalLengthSize + length;
  }
  return undefined;
}
