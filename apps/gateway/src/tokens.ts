export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
export const OUTPUT_STORAGE = Symbol('OUTPUT_STORAGE');
