import type { AddressInfo } from 'node:net';
import express from 'express';
import { routeTemplate } from './http-metrics';

describe('routeTemplate', () => {
  it('labels a request with the template of the route that answered it, after it answered, and "other" when none did', async () => {
    const seen: string[] = [];
    const app = express();
    app.use((req, res, next) => {
      res.on('finish', () => seen.push(routeTemplate(req)));
      next();
    });
    app.get('/jobs/:id', (_req, res) => void res.status(404).json({}));
    app.use(
      '/admin',
      express.Router().post('/tenants/:name', (_req, res) => void res.status(201).end()),
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await fetch(`${base}/jobs/4f1c2a9e-0b7d-4c55-9a11-2f3e4d5c6b7a`);
      await fetch(`${base}/admin/tenants/acme`, { method: 'POST' });
      await fetch(`${base}/no/such/path/4f1c2a9e`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(seen).toEqual(['/jobs/:id', '/admin/tenants/:name', 'other']);
  });
});
