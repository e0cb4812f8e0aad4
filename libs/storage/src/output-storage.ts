import type { Readable } from 'node:stream';

/** Inclusive byte range, as in an HTTP Range header: {start: 0, end: 99} is the first 100 bytes. */
export interface ByteRange {
  start: number;
  end: number;
}

/** The injection token of a service's `OutputStorage` (createOutputStorage). */
export const OUTPUT_STORAGE = Symbol('OUTPUT_STORAGE');

/** Where the system keeps its own outputs (stitched and rendered files), addressed by key. */
export interface OutputStorage {
  /**
   * Stores the file at `localPath` under `key`; readers never see a partial object. The file is
   * finished: the caller may read or delete it afterwards, never change it (local storage links it).
   */
  put(key: string, localPath: string, contentType: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Throws OutputNotFoundError when there is no such key. */
  stat(key: string): Promise<{ size: number }>;
  /** Throws OutputNotFoundError when there is no such key. */
  createReadStream(key: string, range?: ByteRange): Promise<Readable>;
  /** Removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

export class OutputNotFoundError extends Error {
  readonly name = 'OutputNotFoundError';
  constructor(readonly key: string) {
    super(`No stored output has the key "${key}".`);
  }
}

export class InvalidKeyError extends Error {
  readonly name = 'InvalidKeyError';
}

const KEY_PATTERN = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;

/**
 * Accepts relative keys of safe characters ("jobs/abc/out.mp4"); refuses ".." and "." segments,
 * absolute paths, backslashes and empty segments, so a key can never leave the storage root.
 */
export function assertValidKey(key: string): void {
  const segments = key.split('/');
  if (key.length === 0 || key.length > 1024 || !KEY_PATTERN.test(key) || segments.some((s) => s === '.' || s === '..')) {
    throw new InvalidKeyError(`"${key.slice(0, 100)}" is not a valid storage key; use letters, digits, "-", "_", "." and "/" between non-empty names.`);
  }
}

export function assertValidRange(range: ByteRange): void {
  if (!Number.isInteger(range.start) || !Number.isInteger(range.end) || range.start < 0 || range.end < range.start) {
    throw new RangeError(`Byte range ${range.start}-${range.end} is not valid; start and end are inclusive and start <= end.`);
  }
}
