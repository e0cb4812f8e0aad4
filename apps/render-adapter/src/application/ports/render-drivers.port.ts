import type { RenderDriver } from '@vrs/render';

/** The renderers this deployment has, by the name a template's `driver` gives. */
export interface RenderDrivers {
  for(name: string): RenderDriver | undefined;
}

export const RENDER_DRIVERS = Symbol('RENDER_DRIVERS');
