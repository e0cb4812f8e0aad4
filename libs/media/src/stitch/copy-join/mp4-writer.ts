import { closeSync, openSync, read, write } from 'node:fs';
import { promisify } from 'node:util';
import { freeBox } from './mp4-index';

/** Bytes placed at `position` in the output: copied from an input (and checked), or from memory. */
export type Placed =
  { position: number; data: Buffer } | { position: number; file: number; offset: number; size: number; check?: (bytes: Buffer) => string | undefined };

/** A copied sample failed its track's check: the input it came from is damaged. */
export class DamagedInputError extends Error {
  constructor(
    readonly input: number,
    problem: string,
  ) {
    super(problem);
  }
}

const COPY_BUFFER_BYTES = 4 * 2 ** 20;
const readAt = promisify(read);
const writeAt = (fd: number, data: Buffer, length: number, position: number) =>
  new Promise<void>((resolve, reject) => {
    write(fd, data, 0, length, position, (error) => (error ? reject(error) : resolve()));
  });

/**
 * An MP4 being written: room for the index (ftyp + moov) at the front, then the media data, placed by
 * position so the bulk can be copied before every sample's place (or the index) is known.
 */
export class Mp4Output {
  private constructor(
    private readonly output: number,
    private readonly sources: number[],
    private readonly indexRoom: number,
  ) {}

  /** Opens the output and its inputs (plain descriptors: opening a dozen files must not cost a dozen round trips) and writes the mdat header after `indexRoom` bytes. */
  static async create(path: string, inputs: string[], indexRoom: number, mdatHeader: Buffer): Promise<Mp4Output> {
    const fds: number[] = [];
    try {
      fds.push(openSync(path, 'w'));
      for (const input of inputs) fds.push(openSync(input, 'r'));
      await writeAt(fds[0], mdatHeader, mdatHeader.length, indexRoom);
    } catch (error) {
      fds.forEach((fd) => closeSync(fd));
      throw error;
    }
    return new Mp4Output(fds[0], fds.slice(1), indexRoom);
  }

  /**
   * Writes the pieces. Neighbouring copies (contiguous in their input and in the output) are read in one
   * go, up to the buffer's size, and each is checked in the buffer; two buffers alternate, so reading
   * the next run overlaps with writing the last one. Memory stays bounded whatever the input size.
   */
  async place(pieces: Placed[]): Promise<void> {
    const buffers = [Buffer.allocUnsafe(COPY_BUFFER_BYTES), Buffer.allocUnsafe(COPY_BUFFER_BYTES)];
    const writing: Array<Promise<unknown>> = [Promise.resolve(), Promise.resolve()];
    const started: Array<Promise<unknown>> = [];
    const startWrite = (data: Buffer, length: number, position: number) => {
      const done = writeAt(this.output, data, length, position);
      started.push(done);
      return done;
    };
    let turn = 0;
    try {
      for (const run of runsOf(pieces)) {
        if ('data' in run) {
          startWrite(run.data, run.data.length, run.position);
          continue;
        }
        await writing[turn];
        const buffer = run.size <= COPY_BUFFER_BYTES ? buffers[turn].subarray(0, run.size) : Buffer.allocUnsafe(run.size);
        const { bytesRead } = await readAt(this.sources[run.file], buffer, 0, run.size, run.offset);
        if (bytesRead !== run.size) throw new DamagedInputError(run.file, `it ends early, at byte ${run.offset + bytesRead}`);
        let at = 0;
        for (const piece of run.pieces) {
          const problem = piece.check?.(buffer.subarray(at, at + piece.size));
          if (problem) throw new DamagedInputError(run.file, problem);
          at += piece.size;
        }
        writing[turn] = startWrite(buffer, run.size, run.position);
        turn = 1 - turn;
      }
    } catch (error) {
      // No write may still be running when the caller closes the file.
      await Promise.allSettled(started);
      throw error;
    }
    await Promise.all(started);
  }

  /** Writes the index at the front, with a free box filling the rest of its room. */
  async writeIndex(index: Buffer): Promise<void> {
    const head = Buffer.concat([index, freeBox(this.indexRoom - index.length)]);
    await writeAt(this.output, head, head.length, 0);
  }

  close(): void {
    [this.output, ...this.sources].forEach((fd) => closeSync(fd));
  }
}

type Run =
  | { position: number; data: Buffer }
  | { position: number; file: number; offset: number; size: number; pieces: Array<{ size: number; check?: (bytes: Buffer) => string | undefined }> };

function runsOf(pieces: Placed[]): Run[] {
  const runs: Run[] = [];
  let run: Extract<Run, { file: number }> | undefined;
  for (const piece of pieces) {
    if ('data' in piece) {
      runs.push(piece);
      run = undefined;
      continue;
    }
    const extends_ =
      run &&
      run.file === piece.file &&
      run.offset + run.size === piece.offset &&
      run.position + run.size === piece.position &&
      run.size + piece.size <= COPY_BUFFER_BYTES;
    if (run && extends_) {
      run.size += piece.size;
      run.pieces.push(piece);
    } else {
      run = { position: piece.position, file: piece.file, offset: piece.offset, size: piece.size, pieces: [piece] };
      runs.push(run);
    }
  }
  return runs;
}
