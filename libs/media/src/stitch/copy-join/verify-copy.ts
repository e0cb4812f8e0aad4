import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { PipeProcess, takeWarmPipeProcess } from '../../ffmpeg/pipe-process';
import { checkIndexAtFront, checkStreams, failure, MAX_PACKET_GAP_SEC, ProbedOutput, VerifiedOutput, VerifyExpectation } from '../verify-output';
import { copyJoinCommand } from './copy-join-tools';
import { readMp4 } from './mp4-reader';

const PROBE_TIMEOUT_MS = 120_000;

/** The ffprobe that checks a copy join's result; it waits on stdin for the file's head. */
export function outputProbe() {
  return { command: copyJoinCommand('ffprobe'), args: ['-f', 'mp4', '-show_format', '-show_streams', '-of', 'json', '-i', 'pipe:0'] };
}

/** The output probe, started ahead (see takeWarmPipeProcess). */
export function startOutputProbe(signal?: AbortSignal): PipeProcess {
  return takeWarmPipeProcess('ffprobe', { ...outputProbe(), signal, timeoutMs: PROBE_TIMEOUT_MS });
}

/**
 * The final check of a copy join: ffprobe (started earlier, fed the file's first `probedBytes`) must
 * see the expected streams and durations, and the written index must give every track strictly
 * growing decode times without holes — what a packet scan reads from an MP4, taken from its tables.
 */
export async function verifyCopyJoined(
  path: string,
  probedBytes: number,
  prober: PipeProcess,
  expected: Omit<VerifyExpectation, 'signal' | 'onProgress'>,
): Promise<VerifiedOutput> {
  const probing = prober.run(readHead(path, probedBytes));
  try {
    // The index's own checks run while ffprobe reads the head.
    const written = readMp4(path);
    checkIndexAtFront(written.topLevel);
    for (const [index, track] of written.tracks.entries()) {
      const { durations, count } = track.samples;
      const longest = durations.reduce((max, d) => Math.max(max, d), 0);
      if (count === 0 || durations.some((d) => d === 0)) throw failure(`timestamps in stream ${index} do not grow`);
      if (longest > MAX_PACKET_GAP_SEC * track.timescale) throw failure(`stream ${index} has a ${(longest / track.timescale).toFixed(3)} s hole`);
    }
  } catch (error) {
    probing.catch(() => undefined); // the check failed already; ffprobe's answer no longer matters
    prober.cancel();
    throw error;
  }
  return checkStreams(JSON.parse((await probing).toString('utf8')) as ProbedOutput, expected);
}

function readHead(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(bytes, fstatSync(fd).size));
    readSync(fd, buffer, 0, buffer.length, 0);
    return buffer;
  } finally {
    closeSync(fd);
  }
}
