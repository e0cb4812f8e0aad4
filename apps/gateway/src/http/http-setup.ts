import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { logger, withLogContext } from '@vrs/observability';
import { httpRequestDuration, routeTemplate } from './http-metrics';

/** PUT /uploads/:id/content carries the raw bytes of a source upload. */
const isUploadContent = (req: Request) => req.method === 'PUT' && /^\/uploads\/[^/?]+\/content(\?|$)/.test(req.url);

/**
 * Express-level plumbing the Nest filter cannot see: request ids, the JSON body parser and its
 * errors (malformed JSON → 400, too large → 413), an access log line and the request metrics per
 * request, and which proxies may name the client address (`req.ip`, used by the failed-authentication limit).
 */
export function setUpHttp(app: INestApplication, bodyLimitBytes: number, trustProxy?: string): void {
  const log = logger('http');
  // Unset: the socket's peer is the client. Behind a load balancer, name it (hops or addresses)
  // so X-Forwarded-For is believed from it and from nobody else.
  const server = app.getHttpAdapter().getInstance() as express.Application;
  if (trustProxy) server.set('trust proxy', /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy);
  // API answers are never revalidated (no client sends If-None-Match), so no ETag: hashing every
  // answer cost ~3% of the gateway's CPU at intake. The dashboard's static files keep theirs.
  server.set('etag', false);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const started = Date.now();
    const timer = httpRequestDuration.startTimer();
    res.on('finish', () => {
      timer({ method: req.method, route: routeTemplate(req), status: String(res.statusCode) });
      log.info('request', { requestId, method: req.method, path: req.path, status: res.statusCode, ms: Date.now() - started });
    });
    withLogContext({ requestId }, next);
  });
  // Every body is JSON except an upload's bytes, which its route streams itself.
  app.use(express.json({ limit: bodyLimitBytes, type: (req) => !isUploadContent(req as Request) }));
  app.use((error: { type?: string; status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (error?.type === 'entity.too.large') return void res.status(413).json({ error: `The request body is larger than ${bodyLimitBytes} bytes.` });
    if (error?.type === 'entity.parse.failed')
      return void res.status(400).json({ error: 'The body must be a JSON object; this one could not be parsed as one.' });
    if (error?.status && error.status < 500) return void res.status(error.status).json({ error: 'The request body could not be read.' });
    next(error);
  });
}
