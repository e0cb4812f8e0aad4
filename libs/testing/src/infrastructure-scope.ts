/**
 * Called by the helpers that reach real infrastructure (database, broker, S3 server, ffmpeg): in the
 * `unit` Jest project it throws, so a spec that needs them is named `*.integration.spec.ts` and the
 * unit run stays fast and needs nothing running.
 */
export function requireInfrastructure(what: string): void {
  if (process.env.VRS_TEST_SCOPE === 'unit') {
    throw new Error(`This spec uses ${what}: name it *.integration.spec.ts (unit specs need no infrastructure).`);
  }
}
