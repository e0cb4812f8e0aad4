import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { restartServices } from './system';

export interface ReceivedWebhook {
  at: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1; `answer(n)` gives the status for the n-th request (1-based). */
export async function startWebhookReceiver(answer: (n: number) => number = () => 200, port = 0): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ at: Date.now(), method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      res.writeHead(answer(received.length), { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What docs/webhooks.md tells receivers to do: recompute HMAC-SHA256 over "<t>.<body>". */
export function signatureIsValid(secret: string, header: string | string[] | undefined, body: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(header));
  return Boolean(match) && createHmac('sha256', secret).update(`${match![1]}.${body}`).digest('hex') === match![2];
}

/** Webhook timings short enough for tests (the defaults are seconds to hours). */
export const FAST_WEBHOOKS = { WEBHOOK_INITIAL_BACKOFF_MS: '300', WEBHOOK_TIMEOUT_MS: '3000', WEBHOOK_POLL_INTERVAL_MS: '200' };

/** Restarts the notifier with `env` added: SIGTERM (it leaves its group at once) or SIGKILL (a crash). */
export const restartNotifier = (env: Record<string, string>, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => restartServices(['notifier'], env, signal);
