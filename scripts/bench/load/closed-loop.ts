import { Agent, request } from 'node:http';

/** One request as the load sees it: the status it got and how long it took. */
export interface Sample {
  status: number;
  ms: number;
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  byStatus: Record<string, number>;
  seconds: number;
}

export interface HttpCall {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One HTTP request over `agent`; answers the status and the body text. */
export function send(agent: Agent, call: HttpCall): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const body = call.body === undefined ? undefined : Buffer.from(call.body);
    const req = request(
      call.url,
      {
        method: call.method,
        agent,
        headers: { ...call.headers, ...(body ? { 'content-type': 'application/json', 'content-length': body.length } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]);

/**
 * A closed loop: `clients` callers, each on its own kept-alive connection, send the next request as
 * soon as the previous one is answered, for `seconds`. Every answer counts (a 429 or 500 too, by
 * status); `onAnswer` sees each body (e.g. to collect job ids).
 */
export async function closedLoop(
  clients: number,
  seconds: number,
  next: (client: number, n: number) => HttpCall,
  onAnswer?: (status: number, text: string) => void,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const samples: Sample[] = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let n = 0; performance.now() < until; n++) {
        const at = performance.now();
        const answer = await send(agent, next(client, n)).catch(() => ({ status: 0, text: '' }));
        samples.push({ status: answer.status, ms: performance.now() - at });
        onAnswer?.(answer.status, answer.text);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  const byStatus: Record<string, number> = {};
  for (const { status } of samples) byStatus[status] = (byStatus[status] ?? 0) + 1;
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  return {
    requests: samples.length,
    perSecond: samples.length / elapsed,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    byStatus,
    seconds: elapsed,
  };
}
