import type { StitchOptions, StitchReport } from '@vrs/media';

/** Joins local clips into one MP4 (libs/media), within the deployment's output size and CPU budget. */
export interface StitchEngine {
  stitch(options: Omit<StitchOptions, 'target' | 'concurrency' | 'cpuSlots'>): Promise<StitchReport>;
}

export const STITCH_ENGINE = Symbol('STITCH_ENGINE');
