import { FileHandle, open } from 'node:fs/promises';

/** One sample of an output track: bytes from an input file (with an optional prefix), or bytes in memory. */
export interface OutputSample {
  /** Input file number and byte offset, or the sample itself. */
  from: { file: number; offset: number; size: number; prefix?: Buffer } | Buffer;
  duration: number;
  compositionOffset: number;
  sync: boolean;
}

export interface OutputTrack {
  handler: 'vide' | 'soun';
  timescale: number;
  /** The sample entry box (avc1, mp4a) used for every sample. */
  sampleEntry: Buffer;
  samples: OutputSample[];
  /** Where presentation starts in the track's time (B-frame delay, encoder delay). */
  editMediaTime: number;
  /** How long the track plays, in its time scale. */
  presentedDuration: number;
  width?: number;
  height?: number;
  /** AAC: each frame needs the one before it after a seek (a 'roll' group of -1). */
  rollDistance?: number;
  /** Looks at each copied sample's bytes on the way through; returns what is wrong with a damaged one. */
  check?: (sample: Buffer) => string | undefined;
}

/** A copied sample failed its track's check: the input it came from is damaged. */
export class DamagedInputError extends Error {
  constructor(readonly input: number, problem: string) {
    super(problem);
  }
}

const COPY_BUFFER_BYTES = 4 * 2 ** 20;
const UINT32_MAX = 2 ** 32 - 1;
const IDENTITY_MATRIX = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];

interface Chunk { track: number; first: number; count: number }

/** A sample's place in the file: samples are stored in the order of a list of these. */
export interface Placement { track: number; sample: number }

/**
 * Writes an MP4 with its index (moov) at the front and the samples stored in `order`, which must list
 * every sample once and each track's samples in ascending order. Memory stays bounded: samples move
 * through one buffer, and runs that were neighbours in an input are read and written in one go.
 */
export async function writeMp4(path: string, inputs: string[], tracks: OutputTrack[], order: Placement[]): Promise<{ indexBytes: number }> {
  const chunks = chunksOf(order);
  const payload = tracks.reduce((sum, t) => sum + t.samples.reduce((s, x) => s + sampleSize(x), 0), 0);
  const largeFile = payload > UINT32_MAX - 2 ** 20;
  const ftyp = box('ftyp', Buffer.from('isom'), u32(512), Buffer.from('isomiso2avc1mp41'));
  const mdatHeader = largeFile ? Buffer.concat([u32(1), Buffer.from('mdat'), u64(payload + 16)]) : Buffer.concat([u32(payload + 8), Buffer.from('mdat')]);
  const sizeOfMoov = moov(tracks, chunks, new Array(chunks.length).fill(0), largeFile).length;
  const offsets: number[] = [];
  let at = ftyp.length + sizeOfMoov + mdatHeader.length;
  for (const chunk of chunks) {
    offsets.push(at);
    const { samples } = tracks[chunk.track];
    for (let i = chunk.first; i < chunk.first + chunk.count; i++) at += sampleSize(samples[i]);
  }
  const output = await open(path, 'w');
  const sources = await Promise.all(inputs.map((input) => open(input, 'r')));
  try {
    const header = Buffer.concat([ftyp, moov(tracks, chunks, offsets, largeFile), mdatHeader]);
    await output.write(header, 0, header.length, 0);
    await copySamples(output, sources, tracks, chunks, header.length);
  } finally {
    await Promise.all([output, ...sources].map((h) => h.close()));
  }
  return { indexBytes: ftyp.length + sizeOfMoov + mdatHeader.length };
}

function sampleSize(sample: OutputSample): number {
  return Buffer.isBuffer(sample.from) ? sample.from.length : sample.from.size + (sample.from.prefix?.length ?? 0);
}

/** Consecutive samples of one track stored next to each other form a chunk. */
function chunksOf(order: Placement[]): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Chunk | undefined;
  for (const { track, sample } of order) {
    if (current && current.track === track && current.first + current.count === sample) current.count++;
    else chunks.push((current = { track, first: sample, count: 1 }));
  }
  return chunks;
}

type Piece = Buffer | { file: number; offset: number; size: number; samples: Array<{ track: number; size: number }> };

/**
 * Pure: the media data as pieces to write in order: bytes in memory, or a run of neighbouring samples of
 * one input (whole samples, at most `limit` bytes unless one sample is bigger) to read in one go.
 */
function mediaPieces(tracks: OutputTrack[], chunks: Chunk[], limit: number): Piece[] {
  const pieces: Piece[] = [];
  let run: Exclude<Piece, Buffer> | undefined;
  for (const chunk of chunks) {
    const { samples } = tracks[chunk.track];
    for (let i = chunk.first; i < chunk.first + chunk.count; i++) {
      const { from } = samples[i];
      const extends_ = run && !Buffer.isBuffer(from) && !from.prefix && run.file === from.file && run.offset + run.size === from.offset && run.size + from.size <= limit;
      if (Buffer.isBuffer(from)) {
        pieces.push(from);
        run = undefined;
      } else if (extends_ && run) {
        run.size += from.size;
        run.samples.push({ track: chunk.track, size: from.size });
      } else {
        if (from.prefix) pieces.push(from.prefix);
        run = { file: from.file, offset: from.offset, size: from.size, samples: [{ track: chunk.track, size: from.size }] };
        pieces.push(run);
      }
    }
  }
  return pieces;
}

/**
 * Copies the samples in chunk order, each input run checked sample by sample in the buffer it was read
 * into. Two buffers alternate, so reading the next run overlaps with writing the last one.
 */
async function copySamples(output: FileHandle, sources: FileHandle[], tracks: OutputTrack[], chunks: Chunk[], start: number): Promise<void> {
  const buffers = [Buffer.allocUnsafe(COPY_BUFFER_BYTES), Buffer.allocUnsafe(COPY_BUFFER_BYTES)];
  const writing: Array<Promise<unknown>> = [Promise.resolve(), Promise.resolve()];
  const small: Array<Promise<unknown>> = [];
  let position = start;
  let turn = 0;
  for (const piece of mediaPieces(tracks, chunks, COPY_BUFFER_BYTES)) {
    if (Buffer.isBuffer(piece)) {
      small.push(output.write(piece, 0, piece.length, position));
      position += piece.length;
      continue;
    }
    const { file, offset, size, samples } = piece;
    await writing[turn];
    const buffer = size <= COPY_BUFFER_BYTES ? buffers[turn].subarray(0, size) : Buffer.allocUnsafe(size);
    const { bytesRead } = await sources[file].read(buffer, 0, size, offset);
    if (bytesRead !== size) throw new DamagedInputError(file, `it ends early, at byte ${offset + bytesRead}`);
    let at = 0;
    for (const sample of samples) {
      const problem = tracks[sample.track].check?.(buffer.subarray(at, at + sample.size));
      if (problem) throw new DamagedInputError(file, problem);
      at += sample.size;
    }
    writing[turn] = output.write(buffer, 0, size, position);
    position += size;
    turn = 1 - turn;
  }
  await Promise.all([...writing, ...small]);
}

function moov(tracks: OutputTrack[], chunks: Chunk[], offsets: number[], largeFile: boolean): Buffer {
  // The movie time scale is the first track's, so the video's edit is exact.
  const movieTimescale = tracks[0].timescale;
  const toMovie = (track: OutputTrack) => Math.round((track.presentedDuration * movieTimescale) / track.timescale);
  const duration = Math.max(...tracks.map(toMovie));
  const mvhd = fullBox('mvhd', 0, 0, u32(0), u32(0), u32(movieTimescale), u32(duration), u32(0x10000), u16(0x100), Buffer.alloc(10), matrix(), Buffer.alloc(24), u32(tracks.length + 1));
  const perTrack: Array<Array<{ count: number; offset: number }>> = tracks.map(() => []);
  chunks.forEach((chunk, i) => perTrack[chunk.track].push({ count: chunk.count, offset: offsets[i] }));
  const traks = tracks.map((track, t) => trak(track, t + 1, toMovie(track), perTrack[t], largeFile));
  return box('moov', mvhd, ...traks);
}

function trak(track: OutputTrack, id: number, movieDuration: number, chunks: Array<{ count: number; offset: number }>, largeFile: boolean): Buffer {
  const video = track.handler === 'vide';
  const tkhd = fullBox('tkhd', 0, 3, u32(0), u32(0), u32(id), u32(0), u32(movieDuration), Buffer.alloc(8), u16(0), u16(video ? 0 : 1), u16(video ? 0 : 0x100), u16(0), matrix(),
    u32((track.width ?? 0) * 0x10000), u32((track.height ?? 0) * 0x10000));
  const elst = fullBox('elst', 0, 0, u32(1), u32(movieDuration), u32(track.editMediaTime), u16(1), u16(0));
  const mediaDuration = track.samples.reduce((sum, s) => sum + s.duration, 0);
  const mdhd = fullBox('mdhd', 0, 0, u32(0), u32(0), u32(track.timescale), u32(mediaDuration), u16(0x55c4), u16(0));
  const hdlr = fullBox('hdlr', 0, 0, u32(0), Buffer.from(track.handler), Buffer.alloc(12), Buffer.from(video ? 'VideoHandler\0' : 'SoundHandler\0'));
  const header = video ? fullBox('vmhd', 0, 1, Buffer.alloc(8)) : fullBox('smhd', 0, 0, Buffer.alloc(4));
  const dinf = box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1)));
  return box('trak', tkhd, box('edts', elst), box('mdia', mdhd, hdlr, box('minf', header, dinf, sampleTable(track, chunks, largeFile))));
}

function sampleTable(track: OutputTrack, chunks: Array<{ count: number; offset: number }>, largeFile: boolean): Buffer {
  const { samples } = track;
  const parts = [fullBox('stsd', 0, 0, u32(1), track.sampleEntry), runs('stts', 0, samples.map((s) => s.duration))];
  if (samples.some((s) => s.compositionOffset !== 0)) {
    parts.push(runs('ctts', samples.some((s) => s.compositionOffset < 0) ? 1 : 0, samples.map((s) => s.compositionOffset)));
  }
  if (samples.some((s) => !s.sync)) {
    const sync = samples.flatMap((s, i) => (s.sync ? [i + 1] : []));
    parts.push(table('stss', [sync.length, ...sync]));
  }
  const stsc: number[] = [];
  chunks.forEach((chunk, i) => {
    if (i === 0 || chunk.count !== chunks[i - 1].count) stsc.push(i + 1, chunk.count, 1);
  });
  parts.push(table('stsc', [stsc.length / 3, ...stsc]));
  parts.push(table('stsz', [0, samples.length, ...samples.map(sampleSize)]));
  parts.push(largeFile
    ? fullBox('co64', 0, 0, u32(chunks.length), ...chunks.map((c) => u64(c.offset)))
    : table('stco', [chunks.length, ...chunks.map((c) => c.offset)]));
  if (track.rollDistance !== undefined) {
    parts.push(fullBox('sgpd', 1, 0, Buffer.from('roll'), u32(2), u32(1), i16(track.rollDistance)));
    parts.push(fullBox('sbgp', 0, 0, Buffer.from('roll'), u32(1), u32(samples.length), u32(1)));
  }
  return box('stbl', ...parts);
}

/** stts/ctts: consecutive equal values as (count, value) pairs; version 1 ctts values are signed. */
function runs(type: string, version: number, values: number[]): Buffer {
  const entries: number[] = [];
  for (let i = 0; i < values.length;) {
    let j = i;
    while (j < values.length && values[j] === values[i]) j++;
    entries.push(j - i, values[i]);
    i = j;
  }
  return table(type, [entries.length / 2, ...entries], version);
}

/** A full box whose body is 32-bit words (tables with thousands of rows: written into one buffer). */
function table(type: string, words: number[], version = 0): Buffer {
  const body = Buffer.alloc(4 + words.length * 4);
  body.writeUInt32BE(version * 2 ** 24);
  words.forEach((word, i) => (word < 0 ? body.writeInt32BE(word, 4 + i * 4) : body.writeUInt32BE(word, 4 + i * 4)));
  return box(type, body);
}

function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([u32(body.length + 8), Buffer.from(type, 'latin1'), body]);
}

function fullBox(type: string, version: number, flags: number, ...parts: Buffer[]): Buffer {
  return box(type, u32(version * 2 ** 24 + flags), ...parts);
}

function matrix(): Buffer {
  return Buffer.concat(IDENTITY_MATRIX.map(u32));
}

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

function i16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(value);
  return b;
}

function u32(value: number): Buffer {
  if (!Number.isInteger(value) || value < 0 || value > UINT32_MAX) throw new RangeError(`${value} does not fit in 32 bits`);
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}

function i32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value);
  return b;
}

function u64(value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(value));
  return b;
}
