/** One sample of an output track, already placed in the file. */
export interface OutputSample {
  offset: number;
  size: number;
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
}

const UINT32_MAX = 2 ** 32 - 1;
const IDENTITY_MATRIX = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];

/** Media data this large needs 64-bit chunk offsets and a 64-bit mdat header. */
export function needsLargeOffsets(fileBytes: number): boolean {
  return fileBytes > UINT32_MAX - 2 ** 20;
}

/** ftyp + moov for tracks whose samples are placed; a track's chunks are its runs of neighbouring samples. */
export function mp4Index(tracks: OutputTrack[], largeFile: boolean): Buffer {
  const ftyp = box('ftyp', Buffer.from('isom'), u32(512), Buffer.from('isomiso2avc1mp41'));
  return Buffer.concat([ftyp, moov(tracks, largeFile)]);
}

/** A free box filling `bytes` (at least 8), for the room left after an index written into reserved space. */
export function freeBox(bytes: number): Buffer {
  if (bytes < 8) throw new RangeError(`${bytes} bytes cannot hold a free box`);
  return Buffer.concat([u32(bytes), Buffer.from('free'), Buffer.alloc(bytes - 8)]);
}

export function mdatHeader(mediaBytes: number, largeFile: boolean): Buffer {
  return largeFile ? Buffer.concat([u32(1), Buffer.from('mdat'), u64(mediaBytes + 16)]) : Buffer.concat([u32(mediaBytes + 8), Buffer.from('mdat')]);
}

interface Chunks {
  offsets: number[];
  counts: number[];
}

function chunksOf(samples: OutputSample[]): Chunks {
  const chunks: Chunks = { offsets: [], counts: [] };
  let end = -1;
  for (const sample of samples) {
    if (sample.offset === end) chunks.counts[chunks.counts.length - 1]++;
    else {
      chunks.offsets.push(sample.offset);
      chunks.counts.push(1);
    }
    end = sample.offset + sample.size;
  }
  return chunks;
}

function moov(tracks: OutputTrack[], largeFile: boolean): Buffer {
  // The movie time scale is the first track's, so the video's edit is exact.
  const movieTimescale = tracks[0].timescale;
  const toMovie = (track: OutputTrack) => Math.round((track.presentedDuration * movieTimescale) / track.timescale);
  const duration = Math.max(...tracks.map(toMovie));
  const mvhd = fullBox(
    'mvhd',
    0,
    0,
    u32(0),
    u32(0),
    u32(movieTimescale),
    u32(duration),
    u32(0x10000),
    u16(0x100),
    Buffer.alloc(10),
    matrix(),
    Buffer.alloc(24),
    u32(tracks.length + 1),
  );
  const traks = tracks.map((track, t) => trak(track, t + 1, toMovie(track), chunksOf(track.samples), largeFile));
  return box('moov', mvhd, ...traks);
}

function trak(track: OutputTrack, id: number, movieDuration: number, chunks: Chunks, largeFile: boolean): Buffer {
  const video = track.handler === 'vide';
  const tkhd = fullBox(
    'tkhd',
    0,
    3,
    u32(0),
    u32(0),
    u32(id),
    u32(0),
    u32(movieDuration),
    Buffer.alloc(8),
    u16(0),
    u16(video ? 0 : 1),
    u16(video ? 0 : 0x100),
    u16(0),
    matrix(),
    u32((track.width ?? 0) * 0x10000),
    u32((track.height ?? 0) * 0x10000),
  );
  const elst = fullBox('elst', 0, 0, u32(1), u32(movieDuration), u32(track.editMediaTime), u16(1), u16(0));
  const mediaDuration = track.samples.reduce((sum, s) => sum + s.duration, 0);
  const mdhd = fullBox('mdhd', 0, 0, u32(0), u32(0), u32(track.timescale), u32(mediaDuration), u16(0x55c4), u16(0));
  const hdlr = fullBox('hdlr', 0, 0, u32(0), Buffer.from(track.handler), Buffer.alloc(12), Buffer.from(video ? 'VideoHandler\0' : 'SoundHandler\0'));
  const header = video ? fullBox('vmhd', 0, 1, Buffer.alloc(8)) : fullBox('smhd', 0, 0, Buffer.alloc(4));
  const dinf = box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1)));
  return box('trak', tkhd, box('edts', elst), box('mdia', mdhd, hdlr, box('minf', header, dinf, sampleTable(track, chunks, largeFile))));
}

function sampleTable(track: OutputTrack, chunks: Chunks, largeFile: boolean): Buffer {
  const { samples } = track;
  const parts = [
    fullBox('stsd', 0, 0, u32(1), track.sampleEntry),
    runs(
      'stts',
      0,
      samples.map((s) => s.duration),
    ),
  ];
  if (samples.some((s) => s.compositionOffset !== 0)) {
    parts.push(
      runs(
        'ctts',
        samples.some((s) => s.compositionOffset < 0) ? 1 : 0,
        samples.map((s) => s.compositionOffset),
      ),
    );
  }
  if (samples.some((s) => !s.sync)) {
    const sync: number[] = [];
    samples.forEach((s, i) => s.sync && sync.push(i + 1));
    parts.push(table('stss', [sync.length], sync));
  }
  const stsc: number[] = [];
  chunks.counts.forEach((count, i) => {
    if (i === 0 || count !== chunks.counts[i - 1]) stsc.push(i + 1, count, 1);
  });
  parts.push(table('stsc', [stsc.length / 3], stsc));
  parts.push(
    table(
      'stsz',
      [0, samples.length],
      samples.map((s) => s.size),
    ),
  );
  parts.push(
    largeFile ? fullBox('co64', 0, 0, u32(chunks.offsets.length), ...chunks.offsets.map(u64)) : table('stco', [chunks.offsets.length], chunks.offsets),
  );
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
  return table(type, [entries.length / 2], entries, version);
}

/** A full box whose body is 32-bit words: a few header words, then a table with thousands of rows. */
function table(type: string, header: number[], rows: number[], version = 0): Buffer {
  const body = Buffer.allocUnsafe(4 + (header.length + rows.length) * 4);
  const view = new DataView(body.buffer, body.byteOffset, body.length);
  view.setUint32(0, version * 2 ** 24);
  let at = 4;
  for (const word of header) {
    view.setUint32(at, word);
    at += 4;
  }
  for (const word of rows) {
    if (word < 0) view.setInt32(at, word);
    else view.setUint32(at, word);
    at += 4;
  }
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

function u64(value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(value));
  return b;
}
