// Docker HEALTHCHECK (the slim image has no curl): GET /health on this container's service port.
// Exit 0 when it answers 200, 1 otherwise. Kubernetes uses its own httpGet probes instead.
const http = require('node:http');
const { readFileSync } = require('node:fs');

const DEFAULT_PORTS = { gateway: 3000, 'job-orchestrator': 3001, 'render-adapter': 3002, stitcher: 3003, notifier: 3004 };
let service = process.env.SERVICE;
if (!DEFAULT_PORTS[service]) {
  try { service = readFileSync('/tmp/vrs-service', 'utf8').trim(); } catch { /* not started through the entrypoint */ }
}
if (!DEFAULT_PORTS[service]) process.exit(0); // `init` or a custom command: nothing long-running to check

// The gateway listens on PORT; the others on HEALTH_PORT (see apps/*/src/config.ts).
const port = Number((service === 'gateway' ? process.env.PORT : process.env.HEALTH_PORT) || DEFAULT_PORTS[service]);
const bind = process.env.HOST;
const host = !bind || bind === '0.0.0.0' || bind === '::' ? '127.0.0.1' : bind;

const req = http.get({ host, port, path: '/health', timeout: 8000 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', () => process.exit(1));
