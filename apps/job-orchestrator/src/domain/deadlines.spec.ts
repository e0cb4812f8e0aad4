import type { JoinAsset } from '@vrs/contracts';
import { planJobTree } from './children';
import { deadlineOf, formatSec, onDeadline, workSec, type DeadlineLimits } from './deadlines';
import { completeStitch, newJoinJob, recordStitchProgress, type Job } from './job';

const limits: DeadlineLimits = {
  stitchBaseSec: 300,
  stitchPerClipSec: 60,
  renderBaseSec: 120,
  renderPerAssetSec: 10,
  renderPerFrameSec: 1,
  renderFullFrames: 600,
  redriveLimit: 2,
};
const t0 = new Date('2026-01-01T00:00:00Z');
const at = (sec: number) => new Date(t0.getTime() + sec * 1000);
const video = (n: number): JoinAsset[] => Array.from({ length: n }, (_, i) => ({ type: 'video', src: `http://x/${i}.mp4` }));
const join = (assets: JoinAsset[]) => planJobTree(newJoinJob({ id: 'j', tenantId: 't', assets }, t0), t0);
const rendered = (frames?: number | [number, number]): JoinAsset => ({
  type: 'job',
  template: { id: 'tpl', composition: 'main' },
  assets: [{ type: 'data', layerName: 'title', property: 'Source Text', value: 'hi' }],
  ...(frames !== undefined ? { settings: { frames } } : {}),
});

describe('job deadlines', () => {
  it('gives a queued stitch its base plus a share per clip, from when it was asked for', () => {
    const [{ job }] = join(video(3));
    expect(workSec(job, limits)).toBe(300 + 3 * 60);
    expect(deadlineOf(job, limits)).toEqual(at(480));
    expect(workSec(join(video(10))[0].job, limits)).toBeGreaterThan(workSec(job, limits));
  });

  it('gives a stitch more time when its output settings choose a slower encoder', () => {
    const [{ job }] = join(video(3));
    const withOutput = (output: object) => workSec({ ...job, settings: { output: { fit: 'contain', ...output } } } as typeof job, limits);
    expect(withOutput({ aspect: '9:16' })).toBe(480);
    expect(withOutput({ quality: 'draft' })).toBe(480);
    expect(withOutput({ quality: 'high' })).toBe(3 * 480);
    expect(withOutput({ codec: 'h265' })).toBe(5 * 480);
    expect(withOutput({ codec: 'h265', quality: 'high' })).toBe(7 * 480);
  });

  it('sizes a render from its assets and frames, the whole composition when no frames are given', () => {
    const [, short] = join([rendered([0, 29])]);
    const [, full] = join([rendered()]);
    const [, still] = join([rendered(5)]);
    expect(workSec(short.job, limits)).toBe(120 + 10 + 30);
    expect(workSec(full.job, limits)).toBe(120 + 10 + 600);
    expect(workSec(still.job, limits)).toBe(120 + 10 + 1);
  });

  it('gives a pending parent the longest child with all its attempts and one more', () => {
    const [parent, ...children] = join([rendered([0, 29]), rendered(), ...video(1)]);
    expect(parent.job.status).toBe('pending');
    const longest = Math.max(...children.map((child) => workSec(child.job, limits)));
    expect(deadlineOf(parent.job, limits)).toEqual(at(4 * longest));
  });

  it('counts a running stitch from when it started, and a re-drive from then', () => {
    const [{ job }] = join(video(1));
    const running = recordStitchProgress(job, 'download', 0.1, at(100))!.job;
    expect(deadlineOf(running, limits)).toEqual(at(100 + 360));
    expect(deadlineOf({ ...running, drivenAt: at(500) }, limits)).toEqual(at(500 + 360));
  });

  it('has no deadline once the job has ended', () => {
    const [{ job }] = join(video(1));
    expect(deadlineOf(completeStitch(job, { durationSec: 1, sizeBytes: 1 }, at(5))!.job, limits)).toBeNull();
  });

  it('asks for the work again a bounded number of times, then ends the job with a reason', () => {
    let job: Job = join(video(1))[0].job;
    expect(onDeadline(job, limits, at(359))).toBeNull();
    const now = [at(360), at(720), at(1080)];
    for (const [i, moment] of now.slice(0, 2).entries()) {
      const action = onDeadline(job, limits, moment);
      expect(action?.kind).toBe('redrive');
      if (action?.kind !== 'redrive') return;
      expect(action.transition.job.redrives).toBe(i + 1);
      expect(action.transition.logLine).toBe(`the stitch did not start within 6 min; asked for it again (${i + 1} of 2)`);
      job = action.transition.job;
      expect(onDeadline(job, limits, moment)).toBeNull();
    }
    expect(onDeadline(job, limits, now[2])).toEqual({
      kind: 'expire',
      work: 'stitch',
      reason: 'the stitch did not start within 6 min, asked for 3 time(s); the stitcher may be down or overloaded: submit the job again',
    });
  });

  it('says a started stitch did not finish, and ends a pending parent naming how many children are left', () => {
    const running = recordStitchProgress(join(video(1))[0].job, 'join', 0.5, t0)!.job;
    expect(onDeadline({ ...running, redrives: 2 }, limits, at(3600))).toMatchObject({
      kind: 'expire',
      reason: expect.stringMatching(/^the stitch did not finish within 6 min/),
    });
    const [parent] = join([rendered(1), rendered(1)]);
    expect(onDeadline(parent.job, limits, at(86_400))).toMatchObject({
      kind: 'expire',
      work: 'children',
      reason: '2 of 2 child job(s) did not finish within 9 min; the renderer may be down or overloaded: submit the job again',
    });
  });

  it('formats durations for people', () => {
    expect(formatSec(45)).toBe('45 s');
    expect(formatSec(900)).toBe('15 min');
    expect(formatSec(7500)).toBe('2 h 5 min');
    expect(formatSec(7200)).toBe('2 h');
  });
});
