import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const FIXTURES = join('test', 'fixtures', 'media');

/** The repository's root, found from here whether this runs from source (Jest) or from dist/. */
function repositoryRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, FIXTURES))) return dir;
  }
  throw new Error(`${FIXTURES} not found above ${__dirname}`);
}

/** The four real-world sample clips kept in the repository (test/fixtures/media, see its NOTICE). */
export const SAMPLE_MEDIA = join(repositoryRoot(), FIXTURES);

export const SAMPLE_CLIPS = ['video.mp4', 'sar_2x1.mp4', 'frames.webm', 'edts.mp4'] as const;
