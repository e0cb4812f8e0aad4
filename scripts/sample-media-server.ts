import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { SAMPLE_CLIPS, SAMPLE_MEDIA } from '@vrs/testing';

/**
 * The local deployment's stand-in for a user's CDN: serves the repository's sample clips
 * (test/fixtures/media) on http://127.0.0.1:$SAMPLE_MEDIA_PORT (8089), so the quick start and every
 * example in docs/ run as written. Only the sample clips by name are served; anything else is a 404.
 */
const port = Number(process.env.SAMPLE_MEDIA_PORT ?? 8089);

createServer((req, res) => {
  const name = SAMPLE_CLIPS.find((clip) => (req.url ?? '').split('?')[0] === `/${clip}`);
  if (!name || (req.method !== 'GET' && req.method !== 'HEAD')) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  const path = join(SAMPLE_MEDIA, name);
  res.writeHead(200, { 'content-type': name.endsWith('.webm') ? 'video/webm' : 'video/mp4', 'content-length': statSync(path).size });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(path).pipe(res);
}).listen(port, '127.0.0.1', () => console.log(`sample media on http://127.0.0.1:${port}/ (${SAMPLE_CLIPS.join(', ')})`));
