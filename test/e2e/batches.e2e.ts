import { waitFor } from '@vrs/testing';
import { serveDirectory, type MediaServer } from '../support/media-server';
import { apiClient, createTenant, ensureServices, SAMPLE_MEDIA, type ApiClient } from '../support/system';

describe('batches', () => {
  let media: MediaServer;
  let api: ApiClient;

  beforeAll(async () => {
    await ensureServices();
    media = await serveDirectory(SAMPLE_MEDIA);
    api = apiClient((await createTenant('batches-e2e')).token);
  });
  afterAll(() => media.close());

  const join = (name: string) => ({ assets: [{ type: 'video', src: media.url(name) }] });

  it('creates the valid jobs of a batch, reports the invalid ones by index, and follows them to the end', async () => {
    const created = await api.post('/batches', {
      jobs: [
        join('edts.mp4'),
        { assets: [] },
        join('sar_2x1.mp4'),
        { template: { id: 'no-such-template', composition: 'main' }, assets: [] },
        join('missing.mp4'),
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ batchId: expect.any(String), status: 'partial', totalJobs: 5, successCount: 3 });
    expect(created.body.jobs.map((j: { index: number }) => j.index)).toEqual([0, 2, 4]);
    expect(created.body.jobs[0]).toMatchObject({ id: expect.any(String), status: 'queued', outputUrl: expect.stringContaining('/outputs/') });
    expect(created.body.errors.map((e: { index: number; errorCode: string }) => [e.index, e.errorCode])).toEqual([
      [1, 'invalid_job'],
      [3, 'invalid_job'],
    ]);
    expect(created.body.errors[0].error).toMatch(/assets/);

    const ended = await waitFor(
      async () => {
        const { body } = await api.get(`/batches/${created.body.batchId}`);
        return body.status !== 'processing' ? body : undefined;
      },
      120_000,
      'the batch to end',
      500,
    );
    expect(ended).toEqual({ id: created.body.batchId, status: 'error', stats: { total: 3, finished: 2, error: 1, pending: 0 } });
  });

  it('answers a batch with no valid job with status error, and hides batches from other tenants', async () => {
    const created = await api.post('/batches', { jobs: [{ assets: [] }, { nonsense: true }] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'error', totalJobs: 2, successCount: 0, jobs: [] });
    expect((await api.post('/batches', { jobs: [] })).status).toBe(400);
    const stranger = apiClient((await createTenant('batches-stranger')).token);
    expect((await stranger.get(`/batches/${created.body.batchId}`)).status).toBe(404);
  });

  it("lists the tenant's batches newest first with their counts, and only the tenant's", async () => {
    const older = await api.post('/batches', { jobs: [join('missing.mp4')] });
    const newer = await api.post('/batches', { jobs: [{ assets: [] }] });
    const listed = await api.get('/batches?limit=2');
    expect(listed.status).toBe(200);
    expect(listed.body.batches.map((b: { id: string }) => b.id)).toEqual([newer.body.batchId, older.body.batchId]);
    expect(listed.body.batches[0]).toEqual({
      id: newer.body.batchId,
      status: 'finished',
      createdAt: expect.any(String),
      stats: { total: 0, finished: 0, error: 0, pending: 0 },
    });
    expect(listed.body.batches[1].stats.total).toBe(1);
    expect((await api.get('/batches?limit=0')).status).toBe(400);
    const stranger = apiClient((await createTenant('batches-lister')).token);
    await stranger.post('/batches', { jobs: [{ assets: [] }] });
    const theirs = await stranger.get('/batches');
    expect(theirs.body.batches).toHaveLength(1);
    expect(theirs.body.batches[0].id).not.toBe(newer.body.batchId);
  });
});
