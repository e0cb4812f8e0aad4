import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';

export interface NexrenderTestServer {
  url: string;
  secret: string;
  close(): Promise<void>;
}

/**
 * Starts the real `@nexrender/server` (a devDependency) in this process on 127.0.0.1 and a port the
 * OS picks, for tests. Its job store is the JSON file at `databasePath`: the package reads
 * NEXRENDER_DATABASE once, when first loaded, so every server in one process must use the same file.
 */
export async function startNexrenderTestServer(secret: string, databasePath: string): Promise<NexrenderTestServer> {
  const current = process.env.NEXRENDER_DATABASE;
  if (current && current !== databasePath) throw new Error(`NEXRENDER_DATABASE is already ${current}; @nexrender/server keeps one store per process`);
  process.env.NEXRENDER_DATABASE = databasePath;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped package, loaded only after the env is set
  const { listen } = require('@nexrender/server') as { listen(port: number, secret: string): Server };
  const server = listen(0, secret);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    secret,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await nextTurn(); // the store writes the file on the next turn after each change
    },
  };
}
