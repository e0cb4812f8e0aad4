import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveDirectory, type MediaServer } from '../support/media-server';
import { addInstance, apiClient, createTenant, ensureServices, REPO_ROOT, SAMPLE_MEDIA, stopInstance } from '../support/system';

/** Job ids a stitcher instance reported as completed, from its JSON log. */
function completedBy(instance: string, ids: string[]): string[] {
  return readFileSync(join(REPO_ROOT, '.var/log', `${instance}.log`), 'utf8')
    .split('\n')
    .filter((line) => line.includes('"stitch completed"'))
    .map((line) => JSON.parse(line).jobId as string)
    .filter((id) => ids.includes(id));
}

describe('scaling a service out', () => {
  let media: MediaServer;

  beforeAll(async () => {
    await ensureServices();
    await addInstance('stitcher', 3013);
    media = await serveDirectory(SAMPLE_MEDIA);
  });
  afterAll(async () => {
    await stopInstance('stitcher', 3013);
    await media.close();
  });

  it('shares jobs between two stitcher instances, each job stitched by exactly one', async () => {
    const api = apiClient((await createTenant('scaling-e2e')).token);
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) {
      const created = await api.post('/jobs/join', { assets: [{ type: 'video', src: media.url('sar_2x1.mp4') }] });
      ids.push(created.body.id);
    }
    for (const id of ids) expect((await api.waitForEnd(id, 180_000)).status).toBe('finished');

    const first = completedBy('stitcher', ids);
    const added = completedBy('stitcher@3013', ids);
    expect(first.length).toBeGreaterThan(0);
    expect(added.length).toBeGreaterThan(0);
    expect([...first, ...added].sort()).toEqual([...ids].sort());
  });
});
