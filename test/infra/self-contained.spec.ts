import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SAMPLE_CLIPS, SAMPLE_MEDIA } from '@vrs/testing';

const ROOT = resolve(__dirname, '../..');
// Built from parts so that this file does not match itself.
const OUTSIDE = new RegExp(
  [
    ['\\.\\./', 'shared\\b'],
    ['/work/', 'shared'],
    ['\\bshared/', '(spec|media|hooks)\\b'],
  ]
    .map((parts) => parts.join(''))
    .join('|'),
);

/** A user's clone has nothing beside it: the repository must carry everything it reads. */
describe('the repository is self-contained', () => {
  it('no tracked file names a path outside the repository', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    expect(files.length).toBeGreaterThan(100);
    const offenders = files
      .filter((file) => existsSync(join(ROOT, file)))
      .filter((file) => {
        const text = readFileSync(join(ROOT, file));
        return !text.includes(0) && OUTSIDE.test(text.toString('utf8'));
      });
    expect(offenders).toEqual([]);
  });

  it('carries the real-world sample clips with their NOTICE', () => {
    expect(SAMPLE_MEDIA.startsWith(ROOT)).toBe(true);
    for (const clip of SAMPLE_CLIPS) expect(existsSync(join(SAMPLE_MEDIA, clip))).toBe(true);
    expect(readFileSync(join(SAMPLE_MEDIA, 'NOTICE'), 'utf8')).toMatch(/Vanilagy\/mediabunny[\s\S]*MPL-2\.0/);
  });
});
