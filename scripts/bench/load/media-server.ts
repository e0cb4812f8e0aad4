// The load benchmark's clip server, run as a child process of it (see serveDirectory in load.ts):
// serves the files directly in the directory given as its argument, and tells its parent the port.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';

const dir = process.argv[2];
const server = createServer((req, res) => {
  const path = join(dir, basename(decodeURIComponent((req.url ?? '/').split('?')[0])));
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return void res.writeHead(404).end('not found');
  }
  res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': size });
  createReadStream(path).pipe(res);
});
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
// Ends with the benchmark, even when that one is killed.
process.on('disconnect', () => process.exit(0));
