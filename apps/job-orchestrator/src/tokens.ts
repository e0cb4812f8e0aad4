/** The deadline limits (`DeadlineLimits`) from the service config. */
export const DEADLINE_LIMITS = Symbol('DEADLINE_LIMITS');
/** How the reconciler runs (`ReconcilerSettings`) from the service config. */
export const RECONCILER_SETTINGS = Symbol('RECONCILER_SETTINGS');
