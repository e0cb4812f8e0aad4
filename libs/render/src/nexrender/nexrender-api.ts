/**
 * The few REST calls of a self-hosted nexrender server (1.x) that we use: clients create, read and
 * remove jobs; workers pick up and update them. Every call carries the `nexrender-secret` header.
 */
export interface NexrenderJob {
  uid: string;
  state: string;
  /** 0..100, set by the worker while it renders. */
  renderProgress?: number;
  error?: string | string[] | null;
  /** The worker's local path of the rendered file. */
  output?: string;
  template: { src: string; composition: string; frameStart?: number; frameEnd?: number; settingsTemplate?: string; outputModule?: string; outputExt?: string };
  assets: Array<Record<string, unknown>>;
  actions: { prerender: Array<Record<string, unknown>>; postrender: Array<Record<string, unknown>> };
  tags?: string;
}

export class NexrenderApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'NexrenderApiError';
  }
}

const REQUEST_TIMEOUT_MS = 15_000;

export class NexrenderApi {
  constructor(
    private readonly serverUrl: string,
    private readonly secret: string,
  ) {}

  createJob(job: Omit<NexrenderJob, 'state'>, signal?: AbortSignal): Promise<NexrenderJob> {
    return this.call('POST', '/api/v1/jobs', job, signal);
  }

  getJob(uid: string, signal?: AbortSignal): Promise<NexrenderJob> {
    return this.call('GET', `/api/v1/jobs/${encodeURIComponent(uid)}`, undefined, signal);
  }

  async removeJob(uid: string): Promise<void> {
    await this.call('DELETE', `/api/v1/jobs/${encodeURIComponent(uid)}`);
  }

  /** Worker side: takes the next queued job (the server marks it `picked`), or undefined. */
  async pickupJob(signal?: AbortSignal): Promise<NexrenderJob | undefined> {
    const job = await this.call<Partial<NexrenderJob>>('GET', '/api/v1/jobs/pickup', undefined, signal);
    return job.uid ? (job as NexrenderJob) : undefined;
  }

  /** Worker side: merges the fields into the stored job. */
  updateJob(uid: string, fields: Partial<NexrenderJob> & Record<string, unknown>): Promise<NexrenderJob> {
    return this.call('PUT', `/api/v1/jobs/${encodeURIComponent(uid)}`, fields);
  }

  private async call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    let response: Response;
    try {
      response = await fetch(new URL(path, this.serverUrl), {
        method,
        headers: { 'nexrender-secret': this.secret, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new NexrenderApiError(`nexrender server ${method} ${path} failed: ${(error as Error).message}`);
    }
    const text = await response.text();
    if (!response.ok)
      throw new NexrenderApiError(`nexrender server answered ${response.status} to ${method} ${path}: ${text.split('\n')[0].slice(0, 300)}`, response.status);
    // A missing job is answered 200 with an empty body.
    if (!text) throw new NexrenderApiError(`nexrender server has no ${path}`, 404);
    return JSON.parse(text) as T;
  }
}
