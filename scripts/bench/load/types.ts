/**
 * What `npm run bench:load` (scripts/bench/load.ts) hands every scenario module, and what each gives
 * back: one row per figure, measured beside its baseline in the same run. The runner serves
 * `workDir` over HTTP at `mediaBaseUrl` (a file `workDir/a.mp4` is `${mediaBaseUrl}/a.mp4`), so
 * scenarios write the clips they need there; `token` is a tenant's API token made for the run.
 */
export interface LoadContext {
  gatewayUrl: string;
  token: string;
  mediaBaseUrl: string;
  workDir: string;
}

export interface LoadRow {
  scenario: string;
  figure: string;
  ours: number;
  baseline: number;
  unit: string;
  baselineName: string;
  goal: string;
}
