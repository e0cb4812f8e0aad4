/**
 * What every `npm run bench:load` scenario gets: the running system (the gateway and a tenant's token) and
 * a scratch folder whose files are served over HTTP: `${workDir}/<name>` at `${mediaBaseUrl}/<name>`.
 */
export interface LoadContext { gatewayUrl: string; token: string; mediaBaseUrl: string; workDir: string }

/** One figure of a scenario beside the baseline measured in the same run (the runner prints ours / baseline). */
export interface LoadRow { scenario: string; figure: string; ours: number; baseline: number; unit: string; baselineName: string; goal: string }
