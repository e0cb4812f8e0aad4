import type { DataSource } from 'typeorm';
import { STITCH_PHASES, TOPICS } from '@vrs/contracts';
import { enqueueEvent } from '@vrs/messaging';

type Phase = (typeof STITCH_PHASES)[number];

/** Share of the whole stitch each phase takes, from measurements of typical jobs. */
/** `audio` (soundtrack, loudness) and `stills` (poster, thumbnails) run only for joins that ask for them; other joins skip their share. */
const PHASE_WEIGHTS: Record<Phase, number> = { download: 0.25, probe: 0.05, normalise: 0.25, join: 0.15, verify: 0.05, audio: 0.1, stills: 0.05, store: 0.05, upload: 0.05 };

/** Publishes the stitch's overall progress through the outbox, at most once per interval. */
export class ProgressReporter {
  private lastSentAt = 0;
  private lastFraction = -1;

  constructor(private readonly dataSource: DataSource, private readonly jobId: string, private readonly intervalMs = 1_000) {}

  report(phase: Phase, phaseFraction: number): Promise<void> {
    const before = STITCH_PHASES.slice(0, STITCH_PHASES.indexOf(phase)).reduce((sum, p) => sum + PHASE_WEIGHTS[p], 0);
    const fraction = Math.min(1, before + PHASE_WEIGHTS[phase] * Math.max(0, Math.min(1, phaseFraction)));
    const now = Date.now();
    if (fraction <= this.lastFraction || (now - this.lastSentAt < this.intervalMs && this.lastFraction >= 0)) return Promise.resolve();
    this.lastSentAt = now;
    this.lastFraction = fraction;
    return this.dataSource.transaction((manager) =>
      enqueueEvent(manager, TOPICS.stitchProgress, this.jobId, { jobId: this.jobId, phase, fraction }).then(() => undefined));
  }
}
