import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** One track of an MP4/MOV file: what the copy join needs to move its samples into another file. */
export interface Mp4Track {
  id: number;
  /** 'vide', 'soun', 'tmcd', ... */
  handler: string;
  timescale: number;
  /** tkhd matrix (a, b, c, d in 16.16): anything but identity means the picture is rotated or flipped. */
  identityMatrix: boolean;
  edits: Mp4Edit[];
  /** Sample description entries (whole boxes, header included). */
  sampleEntries: Buffer[];
  samples: Mp4Samples;
}

export interface Mp4Edit {
  /** In the movie's time scale. */
  segmentDuration: number;
  /** In the track's time scale; -1 is an empty edit (a pause). */
  mediaTime: number;
  rate: number;
}

/** Per-sample tables, expanded: sample i lives at offsets[i] and is sizes[i] bytes long. */
export interface Mp4Samples {
  count: number;
  offsets: Float64Array;
  sizes: Uint32Array;
  /** Decode durations in the track's time scale. */
  durations: Uint32Array;
  /** Composition offsets (pts - dts). */
  compositionOffsets: Int32Array;
  /** undefined when every sample is a sync sample (no stss box). */
  sync?: Uint8Array;
}

export interface Mp4File {
  sizeBytes: number;
  /** Top-level box names in file order, e.g. ["ftyp", "moov", "free", "mdat"]. */
  topLevel: string[];
  movieTimescale: number;
  /** The file holds fragments (moof), whose samples the moov does not list. */
  fragmented: boolean;
  tracks: Mp4Track[];
}

export class Mp4FormatError extends Error {}

/** A moov bigger than this is not a clip we copy in memory (it would list millions of samples). */
const MAX_MOOV_BYTES = 64 * 2 ** 20;

/**
 * Reads the moov of an MP4/MOV file (wherever it is) without touching the media data. Synchronous:
 * a few small reads, cheaper than the promise round trips they would otherwise cost.
 */
export function readMp4(path: string): Mp4File {
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    const boxes = walkTopLevel(fd, size);
    const moov = boxes.find((box) => box.type === 'moov');
    if (!moov) throw new Mp4FormatError('no moov box');
    if (moov.size > MAX_MOOV_BYTES) throw new Mp4FormatError('moov box too large');
    const body = Buffer.alloc(moov.size - moov.headerSize);
    if (readSync(fd, body, 0, body.length, moov.offset + moov.headerSize) !== body.length) throw new Mp4FormatError('moov box truncated');
    return { sizeBytes: size, topLevel: boxes.map((box) => box.type), ...parseMoov(body) };
  } finally {
    closeSync(fd);
  }
}

/** Names of the top-level boxes in file order, reading only their headers (up to the first that cannot be a box). */
export function topLevelBoxes(path: string): string[] {
  const fd = openSync(path, 'r');
  try {
    return walkTopLevel(fd, fstatSync(fd).size).map((box) => box.type);
  } finally {
    closeSync(fd);
  }
}

function walkTopLevel(fd: number, size: number): Array<{ type: string; offset: number; size: number; headerSize: number }> {
  const header = Buffer.alloc(16);
  const boxes: Array<{ type: string; offset: number; size: number; headerSize: number }> = [];
  for (let offset = 0; offset + 8 <= size;) {
    readSync(fd, header, 0, 16, offset);
    let box;
    try {
      box = boxHeader(header, 0, size - offset);
    } catch {
      break;
    }
    boxes.push({ type: box.type, offset, size: box.boxSize, headerSize: box.headerSize });
    offset += box.boxSize;
  }
  return boxes;
}

function boxHeader(buffer: Buffer, at: number, remaining: number): { boxSize: number; headerSize: number; type: string } {
  let boxSize = buffer.readUInt32BE(at);
  const type = buffer.toString('latin1', at + 4, at + 8);
  let headerSize = 8;
  if (boxSize === 1) {
    boxSize = Number(buffer.readBigUInt64BE(at + 8));
    headerSize = 16;
  } else if (boxSize === 0) {
    boxSize = remaining;
  }
  if (boxSize < headerSize || boxSize > remaining) throw new Mp4FormatError(`bad size for box ${JSON.stringify(type)}`);
  return { boxSize, headerSize, type };
}

interface Box {
  type: string;
  body: Buffer;
  whole: Buffer;
}

function children(buffer: Buffer): Box[] {
  const boxes: Box[] = [];
  let at = 0;
  while (at + 8 <= buffer.length) {
    const { boxSize, headerSize, type } = boxHeader(buffer, at, buffer.length - at);
    boxes.push({ type, body: buffer.subarray(at + headerSize, at + boxSize), whole: buffer.subarray(at, at + boxSize) });
    at += boxSize;
  }
  return boxes;
}

/** Boxes by path below a container's body, e.g. find(moov, 'trak') or find(trak, 'mdia', 'minf', 'stbl'). */
function find(body: Buffer, ...path: string[]): Box[] {
  let level = [body];
  let found: Box[] = [];
  for (const type of path) {
    found = level.flatMap((container) => children(container)).filter((box) => box.type === type);
    level = found.map((box) => box.body);
  }
  return found;
}

function one(buffer: Buffer, ...path: string[]): Box {
  const [box] = find(buffer, ...path);
  if (!box) throw new Mp4FormatError(`missing ${path.join('/')}`);
  return box;
}

function parseMoov(moov: Buffer): Omit<Mp4File, 'sizeBytes' | 'topLevel'> {
  const mvhd = one(moov, 'mvhd').body;
  const movieTimescale = mvhd[0] === 1 ? mvhd.readUInt32BE(20) : mvhd.readUInt32BE(12);
  return {
    movieTimescale,
    fragmented: find(moov, 'mvex').length > 0,
    tracks: find(moov, 'trak').map((trak) => parseTrack(trak.body)),
  };
}

function parseTrack(trak: Buffer): Mp4Track {
  const tkhd = one(trak, 'tkhd').body;
  const v1 = tkhd[0] === 1;
  const id = tkhd.readUInt32BE(v1 ? 20 : 12);
  const matrixAt = v1 ? 52 : 40;
  const matrix = [0, 1, 3, 4].map((i) => tkhd.readInt32BE(matrixAt + i * 4));
  const mdhd = one(trak, 'mdia', 'mdhd').body;
  const timescale = mdhd[0] === 1 ? mdhd.readUInt32BE(20) : mdhd.readUInt32BE(12);
  const handler = one(trak, 'mdia', 'hdlr').body.toString('latin1', 8, 12);
  const stbl = one(trak, 'mdia', 'minf', 'stbl').body;
  if (timescale === 0) throw new Mp4FormatError('track time scale is 0');
  return {
    id,
    handler,
    timescale,
    identityMatrix: matrix[0] === 0x10000 && matrix[1] === 0 && matrix[2] === 0 && matrix[3] === 0x10000,
    edits: parseEdits(find(trak, 'edts', 'elst')[0]?.body),
    sampleEntries: parseSampleEntries(one(stbl, 'stsd').body),
    samples: parseSamples(stbl),
  };
}

function parseEdits(elst: Buffer | undefined): Mp4Edit[] {
  if (!elst) return [];
  const v1 = elst[0] === 1;
  const count = elst.readUInt32BE(4);
  const edits: Mp4Edit[] = [];
  for (let i = 0, at = 8; i < count; i++) {
    if (v1) {
      edits.push({ segmentDuration: Number(elst.readBigUInt64BE(at)), mediaTime: Number(elst.readBigInt64BE(at + 8)), rate: elst.readInt16BE(at + 16) });
      at += 20;
    } else {
      edits.push({ segmentDuration: elst.readUInt32BE(at), mediaTime: elst.readInt32BE(at + 4), rate: elst.readInt16BE(at + 8) });
      at += 12;
    }
  }
  return edits;
}

function parseSampleEntries(stsd: Buffer): Buffer[] {
  return children(stsd.subarray(8)).map((box) => Buffer.from(box.whole));
}

function parseSamples(stbl: Buffer): Mp4Samples {
  const sizes = sampleSizes(stbl);
  const count = sizes.length;
  const durations = expandRuns(one(stbl, 'stts').body, count, false);
  const ctts = find(stbl, 'ctts')[0]?.body;
  const compositionOffsets = ctts ? Int32Array.from(expandRuns(ctts, count, true)) : new Int32Array(count);
  return { count, offsets: sampleOffsets(stbl, sizes), sizes, durations: Uint32Array.from(durations), compositionOffsets, sync: syncSamples(stbl, count) };
}

function sampleSizes(stbl: Buffer): Uint32Array {
  const stsz = one(stbl, 'stsz').body;
  const fixed = stsz.readUInt32BE(4);
  const count = stsz.readUInt32BE(8);
  if (fixed !== 0) return new Uint32Array(count).fill(fixed);
  if (stsz.length < 12 + count * 4) throw new Mp4FormatError('stsz truncated');
  const sizes = new Uint32Array(count);
  for (let i = 0; i < count; i++) sizes[i] = stsz.readUInt32BE(12 + i * 4);
  return sizes;
}

/** stts/ctts: (count, value) runs expanded to one value per sample. */
function expandRuns(box: Buffer, count: number, signed: boolean): Int32Array | Uint32Array {
  const values = signed ? new Int32Array(count) : new Uint32Array(count);
  const entries = box.readUInt32BE(4);
  let sample = 0;
  for (let i = 0; i < entries && sample < count; i++) {
    const run = box.readUInt32BE(8 + i * 8);
    // ctts version 0 offsets are unsigned in the spec but written signed by many muxers.
    const value = signed ? box.readInt32BE(12 + i * 8) : box.readUInt32BE(12 + i * 8);
    for (let j = 0; j < run && sample < count; j++) values[sample++] = value;
  }
  if (sample !== count) throw new Mp4FormatError('timing table does not cover every sample');
  return values;
}

function sampleOffsets(stbl: Buffer, sizes: Uint32Array): Float64Array {
  const stco = find(stbl, 'stco')[0]?.body;
  const co64 = find(stbl, 'co64')[0]?.body;
  const table = stco ?? co64;
  if (!table) throw new Mp4FormatError('missing chunk offsets');
  const chunkCount = table.readUInt32BE(4);
  const chunkOffset = (i: number) => (stco ? stco.readUInt32BE(8 + i * 4) : Number(co64!.readBigUInt64BE(8 + i * 8)));
  const stsc = one(stbl, 'stsc').body;
  const runs = stsc.readUInt32BE(4);
  const offsets = new Float64Array(sizes.length);
  let sample = 0;
  for (let r = 0; r < runs; r++) {
    const firstChunk = stsc.readUInt32BE(8 + r * 12) - 1;
    const perChunk = stsc.readUInt32BE(12 + r * 12);
    const lastChunk = r + 1 < runs ? stsc.readUInt32BE(8 + (r + 1) * 12) - 1 : chunkCount;
    for (let chunk = firstChunk; chunk < lastChunk && sample < sizes.length; chunk++) {
      let at = chunkOffset(chunk);
      for (let j = 0; j < perChunk && sample < sizes.length; j++) {
        offsets[sample] = at;
        at += sizes[sample++];
      }
    }
  }
  if (sample !== sizes.length) throw new Mp4FormatError('chunk table does not cover every sample');
  return offsets;
}

function syncSamples(stbl: Buffer, count: number): Uint8Array | undefined {
  const stss = find(stbl, 'stss')[0]?.body;
  if (!stss) return undefined;
  const sync = new Uint8Array(count);
  const entries = stss.readUInt32BE(4);
  for (let i = 0; i < entries; i++) {
    const sample = stss.readUInt32BE(8 + i * 4) - 1;
    if (sample >= 0 && sample < count) sync[sample] = 1;
  }
  return sync;
}

/** The child boxes of a sample entry, after its fixed fields (`fixedBytes` after the 8-byte header). */
export function sampleEntryChild(entry: Buffer, fixedBytes: number, type: string): Buffer | undefined {
  try {
    return children(entry.subarray(8 + fixedBytes)).find((box) => box.type === type)?.body;
  } catch {
    return undefined;
  }
}
