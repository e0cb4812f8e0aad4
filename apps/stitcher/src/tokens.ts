export const STITCHER_CONFIG = Symbol('STITCHER_CONFIG');
/** The instance's CpuSlots (NORMALISE_CONCURRENCY), shared by every stitch it runs. */
export const CPU_SLOTS = Symbol('CPU_SLOTS');
