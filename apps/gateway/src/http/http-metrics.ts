import type { Request } from 'express';
import { histogram, HTTP_BUCKETS } from '@vrs/observability';

export const httpRequestDuration = histogram({
  name: 'vrs_http_request_duration_seconds',
  help: 'HTTP requests the gateway answered, by method, route template and status code; _count is the request rate.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: HTTP_BUCKETS,
});

/** Requests no API route handled: the docs pages, unknown paths, bodies refused before routing. */
export const OTHER_ROUTE = 'other';

/** The route template that handled the request (`/jobs/:id`), never the raw path: ids would make the label unbounded. */
export function routeTemplate(req: Pick<Request, 'route' | 'baseUrl'>): string {
  const path: unknown = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : OTHER_ROUTE;
}
