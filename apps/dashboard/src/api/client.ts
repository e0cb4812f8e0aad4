import type { ApiErrorBody, Batch, Job, JobList, Template, TemplateSummary, UploadTicket, WebhookDelivery } from './types';

/** An answer of the API that was not a success, with its message and the fields it names. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: ApiErrorBody['details'] = [],
  ) {
    super(message);
  }
}

/** Called when the API refuses the token (401): the app signs out and asks for a token again. */
let onUnauthorized: () => void = () => undefined;
export const whenUnauthorized = (handler: () => void) => {
  onUnauthorized = handler;
};

async function errorFrom(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as ApiErrorBody;
    if (typeof body.error === 'string') return new ApiError(res.status, body.error, body.details);
  } catch {
    /* not the API's JSON error: a proxy's page, say */
  }
  return new ApiError(res.status, `The server answered ${res.status} ${res.statusText}.`);
}

/** Calls the API with `token`; the dashboard is served by the gateway, so paths are relative to this origin. */
export function apiFor(token: string) {
  async function call(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        signal,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError(0, 'The gateway could not be reached. Check your connection; the page retries on its own.');
    }
    if (res.status === 401) onUnauthorized();
    if (!res.ok) throw await errorFrom(res);
    return res;
  }
  const json = async <T>(method: string, path: string, body?: unknown, signal?: AbortSignal) => (await call(method, path, body, signal)).json() as Promise<T>;
  const id = encodeURIComponent;
  return {
    jobs: (query: { states?: string[]; limit?: number }, signal?: AbortSignal) => {
      const params = new URLSearchParams({ limit: String(query.limit ?? 50) });
      if (query.states?.length) params.set('states', query.states.join(','));
      return json<JobList>('GET', `/jobs?${params}`, undefined, signal);
    },
    job: (jobId: string, signal?: AbortSignal) => json<Job>('GET', `/jobs/${id(jobId)}`, undefined, signal),
    jobLog: async (jobId: string, signal?: AbortSignal) => (await call('GET', `/jobs/${id(jobId)}/logs`, undefined, signal)).text(),
    webhooks: (jobId: string, signal?: AbortSignal) => json<{ deliveries: WebhookDelivery[] }>('GET', `/jobs/${id(jobId)}/webhooks`, undefined, signal),
    redeliverWebhook: (jobId: string) => json<{ redeliverRequested: boolean }>('POST', `/jobs/${id(jobId)}/webhooks/redeliver`),
    cancel: (jobId: string) => json<{ cancelRequested: boolean }>('PATCH', `/jobs/${id(jobId)}/cancel`),
    createJoin: (body: unknown) => json<Job>('POST', '/jobs/join', body),
    createRender: (body: unknown) => json<Job>('POST', '/jobs', body),
    batches: (signal?: AbortSignal) => json<{ batches: Batch[] }>('GET', '/batches?limit=100', undefined, signal),
    batch: (batchId: string, signal?: AbortSignal) => json<Batch>('GET', `/batches/${id(batchId)}`, undefined, signal),
    templates: (signal?: AbortSignal) => json<{ templates: TemplateSummary[] }>('GET', '/templates?limit=200', undefined, signal),
    template: (templateId: string, signal?: AbortSignal) => json<Template>('GET', `/templates/${id(templateId)}`, undefined, signal),
    createUpload: (file: { filename: string; contentType: string; size: number }) => json<UploadTicket>('POST', '/uploads', file),
  };
}

export type Api = ReturnType<typeof apiFor>;
