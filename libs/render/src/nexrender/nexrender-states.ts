/** Our job lifecycle states (see the public API) that a nexrender job can be in. */
export type RenderJobStatus = 'queued' | 'render:dorender' | 'finished' | 'error';

/**
 * nexrender's states → ours: `created`/`queued` wait for a worker; `picked`, `started` and every
 * `render:*` step (setup, download, script, dorender, postrender, cleanup) are rendering.
 */
export function mapNexrenderState(state: string): RenderJobStatus {
  if (state === 'created' || state === 'queued') return 'queued';
  if (state === 'picked' || state === 'started' || state.startsWith('render:')) return 'render:dorender';
  if (state === 'finished') return 'finished';
  if (state === 'error') return 'error';
  throw new Error(`unknown nexrender job state "${state}"`);
}
