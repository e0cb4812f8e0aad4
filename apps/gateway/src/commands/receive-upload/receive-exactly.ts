import { createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../../http/api-error';

/** After a refusal, this much more of the body is read and dropped so the client gets the answer; beyond it the connection is cut. */
const DRAIN_AFTER_REFUSAL_BYTES = 1024 * 1024;

export const tooLarge = (expected: number) =>
  new ApiError(HttpStatus.PAYLOAD_TOO_LARGE, `The body is larger than the ${expected} bytes declared in POST /uploads; nothing was kept.`);
export const tooShort = (expected: number, got: number) =>
  ApiError.badRequest(`The body has ${got} bytes, fewer than the ${expected} declared in POST /uploads; nothing was kept.`);

/**
 * Writes exactly `expected` bytes of `body` to `path`, or throws 413 (more) / 400 (fewer). The
 * request is never piped with pipeline(), which would destroy the socket before the answer is out.
 */
export async function receiveExactly(body: Readable, path: string, expected: number): Promise<void> {
  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      done(received > expected ? tooLarge(expected) : null, chunk);
    },
    flush(done) {
      done(received < expected ? tooShort(expected, received) : null);
    },
  });
  const hungUp = () => {
    if (!body.readableEnded) counter.destroy(new Error('the client stopped sending before the end of the body'));
  };
  body.once('close', hungUp);
  body.pipe(counter);
  try {
    await pipeline(counter, createWriteStream(path));
  } catch (error) {
    body.unpipe(counter);
    discardRest(body);
    throw error;
  } finally {
    body.off('close', hungUp);
  }
}

function discardRest(body: Readable): void {
  let dropped = 0;
  body.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DRAIN_AFTER_REFUSAL_BYTES) body.destroy();
  });
  body.resume();
}
