import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { Tool } from '../../ffmpeg/pipe-process';

/**
 * The copy join's own ffmpeg (the AAC around the joins) and ffprobe (the output's check): with env
 * COPY_JOIN_TOOLS_DIR, builds of them for just that work which start without loading ~215 shared
 * libraries (scripts/infra/copy-join-tools.sh); Debian's on the PATH otherwise.
 */
export function copyJoinCommand(tool: Tool): string {
  const dir = process.env.COPY_JOIN_TOOLS_DIR;
  return dir ? join(dir, tool) : tool;
}

/** Fails at start-up rather than at the first join when COPY_JOIN_TOOLS_DIR lacks either tool. */
export function assertCopyJoinToolsInstalled(): void {
  if (!process.env.COPY_JOIN_TOOLS_DIR) return;
  for (const tool of ['ffmpeg', 'ffprobe'] as const) {
    const command = copyJoinCommand(tool);
    try {
      accessSync(command, constants.X_OK);
    } catch {
      throw new Error(`COPY_JOIN_TOOLS_DIR: ${command} is not an executable file (scripts/infra/copy-join-tools.sh builds it)`);
    }
  }
}
