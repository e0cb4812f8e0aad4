import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { logger } from '@vrs/observability';

/** Where the dashboard is mounted; `/` sends browsers there. */
export const DASHBOARD_PATH = '/app';

/**
 * The dashboard's Content-Security-Policy: its own scripts and styles only (it needs no inline code),
 * outputs and posters from the public base URL (outputUrl may point at another host than the page),
 * API calls to this origin and to wherever upload URLs point.
 */
export function dashboardCsp(mediaOrigins: string[]): string {
  const media = ["'self'", ...new Set(mediaOrigins)].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${media} data:`,
    `media-src ${media}`,
    `connect-src ${media}`,
    "font-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Serves the built dashboard (scripts/build-dashboard.ts writes it to `dir`) under /app with a strict
 * CSP, and redirects `/` there. The API routes are untouched: this only answers GET/HEAD of `/` and `/app…`.
 */
export function serveDashboard(app: INestApplication, dir: string, mediaOrigins: string[]): void {
  const csp = dashboardCsp(mediaOrigins);
  const built = existsSync(join(dir, 'index.html'));
  if (!built) logger('http').warn('the dashboard is not built; /app answers 503 until `npm run build` has run', { dir });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === '/') return res.redirect(302, `${DASHBOARD_PATH}/`);
    if (req.path !== DASHBOARD_PATH && !req.path.startsWith(`${DASHBOARD_PATH}/`)) return next();
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (!built) return void res.status(503).type('text/plain').send('The dashboard has not been built on this server: run `npm run build`.\n');
    next();
  });
  app.use(DASHBOARD_PATH, express.static(dir, { index: 'index.html', fallthrough: true, setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }));
}
