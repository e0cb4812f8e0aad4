import { runFfmpeg } from '../ffmpeg/ffmpeg-runner';

export interface DamagedClip {
  index: number;
  /** ffmpeg's first complaint, without its internal "[codec @ 0x…]" prefix. */
  problem: string;
}

/**
 * Run only after a join or its check failed, to tell the user which clip is at fault: reads each
 * clip's video packets as they would be copied and decodes its audio (cheap), and reports the first
 * clip ffmpeg complains about. A damaged clip that is copied can make the joined file lose time
 * without ffmpeg failing, so this is what turns "the output is short" into "clip N is damaged".
 */
export async function findDamagedClip(paths: string[], signal?: AbortSignal): Promise<DamagedClip | undefined> {
  for (const [index, path] of paths.entries()) {
    const complaints: string[] = [];
    await runFfmpeg({
      inputs: [{ source: path }],
      output: '/dev/null',
      outputOptions: ['-v', 'error', '-map', '0:v:0', '-map', '0:a:0?', '-c:v', 'copy', '-f', 'null'],
      onStderr: (line) => {
        if (line.trim()) complaints.push(line.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/, '').trim());
      },
      signal,
      timeoutMs: 120_000,
    }).catch((error: Error) => complaints.push(error.message));
    if (complaints.length > 0) return { index, problem: complaints[0] };
  }
  return undefined;
}
