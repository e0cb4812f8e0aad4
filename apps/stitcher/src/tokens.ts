export const STITCHER_CONFIG = Symbol('STITCHER_CONFIG');
export const OUTPUT_STORAGE = Symbol('OUTPUT_STORAGE');
export const OUTBOUND_POLICY = Symbol('OUTBOUND_POLICY');
/** The instance's CpuSlots (NORMALISE_CONCURRENCY), shared by every stitch it runs. */
export const CPU_SLOTS = Symbol('CPU_SLOTS');
