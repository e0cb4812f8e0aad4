import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeClip } from '../../test/media-fixtures';
import { CpuSlots } from './cpu-slots';
import { MediaError } from './media-error';
import { stitchClips } from './stitch-clips';

/** Slots that record how many of their runs overlapped. */
class WatchedSlots extends CpuSlots {
  active = 0;
  mostAtOnce = 0;
  runs = 0;
  override run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return super.run(async () => {
      this.runs += 1;
      this.mostAtOnce = Math.max(this.mostAtOnce, ++this.active);
      try {
        return await work();
      } finally {
        this.active -= 1;
      }
    }, signal);
  }
}

describe('CpuSlots', () => {
  it('runs at most its size at once, the others in the order they asked', async () => {
    const slots = new WatchedSlots(2);
    const order: number[] = [];
    const releases: Array<() => void> = [];
    const runs = [0, 1, 2, 3].map((n) =>
      slots.run(
        () =>
          new Promise<void>((resolve) => {
            order.push(n);
            releases.push(resolve);
          }),
      ),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([0, 1]);
    releases[1]();
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([0, 1, 2]);
    releases[0]();
    releases[2]();
    await new Promise((resolve) => setImmediate(resolve));
    releases[3]();
    await Promise.all(runs);
    expect(order).toEqual([0, 1, 2, 3]);
    expect(slots.mostAtOnce).toBe(2);
  });

  it('a cancel while waiting for a slot rejects without running the work', async () => {
    const slots = new CpuSlots(1);
    let release!: () => void;
    const holder = slots.run(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    const cancel = new AbortController();
    let ran = false;
    const waiting = slots.run(async () => {
      ran = true;
    }, cancel.signal);
    cancel.abort();
    await expect(waiting).rejects.toBeInstanceOf(MediaError);
    release();
    await holder;
    expect(ran).toBe(false);
    await slots.run(async () => undefined); // the slot was given back
  });

  describe('shared by stitches (real ffmpeg)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpu-slots-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('keeps the normalisations of stitches running at once within the budget, while each stitch asks for two', async () => {
      const plain = await makeClip(dir, 'plain');
      const odd = await makeClip(dir, 'odd', { size: '240x320', fps: 30 });
      const slots = new WatchedSlots(1);
      const stitches = [0, 1].map((n) => {
        const workDir = mkdtempSync(join(dir, `work-${n}-`));
        return stitchClips({ inputs: [plain, odd, odd], outputPath: join(dir, `out-${n}.mp4`), workDir, concurrency: 2, cpuSlots: slots });
      });
      const reports = await Promise.all(stitches);
      for (const report of reports) expect(report.clips.map((c) => c.action)).toEqual(['copy', 'normalise', 'normalise']);
      expect(slots.runs).toBe(4);
      expect(slots.mostAtOnce).toBe(1);
    });
  });
});
