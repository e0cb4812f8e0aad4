import { queryDatabase } from '@vrs/testing';
import { serveDirectory, type MediaServer } from '../support/media-server';
import { apiClient, createTenant, ensureServices, SAMPLE_MEDIA, type ApiClient } from '../support/system';
import { putBytes } from '../support/uploads';

/** Idempotency-Key on the creating routes, against the real gateway and database. */
describe('Idempotency-Key', () => {
  let media: MediaServer;

  beforeAll(async () => {
    await ensureServices();
    media = await serveDirectory(SAMPLE_MEDIA);
  });
  afterAll(() => media.close());

  const freshTenant = async (name: string) => apiClient((await createTenant(name)).token);
  const join = (name = 'edts.mp4') => ({ assets: [{ type: 'video', src: media.url(name) }] });
  const withKey = (api: ApiClient, path: string, body: unknown, key: string) => api.call('POST', path, body, undefined, { 'idempotency-key': key });
  const jobIds = async (api: ApiClient) => (await api.get('/jobs?limit=1000')).body.jobs.map((job: { id: string }) => job.id);

  it('answers a repeat with the same key and body byte for byte, and creates one job', async () => {
    const api = await freshTenant('idem-repeat');
    const first = await withKey(api, '/jobs/join', join(), 'order-42');
    // Same body with its keys in another order: the same request.
    const again = await api.call('POST', '/jobs/join', undefined, JSON.stringify({ assets: [{ src: media.url('edts.mp4'), type: 'video' }] }), {
      'idempotency-key': 'order-42',
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await jobIds(api)).toEqual([first.body.id]);
  });

  it('refuses the same key with another body (422) and the same key on another route', async () => {
    const api = await freshTenant('idem-mismatch');
    expect((await withKey(api, '/jobs/join', join(), 'k-1')).status).toBe(201);
    const other = await withKey(api, '/jobs/join', join('sar_2x1.mp4'), 'k-1');
    expect(other.status).toBe(422);
    expect(other.body).toEqual({ error: expect.stringContaining('Idempotency-Key'), details: [{ field: 'Idempotency-Key', message: expect.any(String) }] });
    expect((await withKey(api, '/batches', { jobs: [join()] }, 'k-1')).status).toBe(422);
    expect(await jobIds(api)).toHaveLength(1);
  });

  it('makes one job of 20 identical requests sent at once', async () => {
    const api = await freshTenant('idem-concurrent');
    const answers = await Promise.all(Array.from({ length: 20 }, () => withKey(api, '/jobs/join', join(), 'burst')));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(await jobIds(api)).toEqual([answers[0].body.id]);
  });

  it('keeps keys per tenant: the same key from another tenant makes its own job', async () => {
    const a = await freshTenant('idem-a');
    const b = await freshTenant('idem-b');
    const fromA = await withKey(a, '/jobs/join', join(), 'shared-key');
    const fromB = await withKey(b, '/jobs/join', join(), 'shared-key');
    expect(fromB.status).toBe(201);
    expect(fromB.body.id).not.toBe(fromA.body.id);
    expect(await jobIds(b)).toEqual([fromB.body.id]);
    expect(await jobIds(a)).toEqual([fromA.body.id]);
  });

  it('replays batches, templates and bulk cancels too, and names the header when the key is malformed', async () => {
    const api = await freshTenant('idem-routes');
    const batch = { jobs: [join(), { assets: [] }] };
    const firstBatch = await withKey(api, '/batches', batch, 'batch-1');
    const againBatch = await withKey(api, '/batches', batch, 'batch-1');
    expect(firstBatch.body).toMatchObject({ status: 'partial', successCount: 1 });
    expect(againBatch.text).toBe(firstBatch.text);
    expect(await jobIds(api)).toEqual([firstBatch.body.jobs[0].id]);

    const template = {
      name: 'Idem',
      driver: 'builtin',
      compositions: { main: { width: 160, height: 90, fps: 25, durationSec: 1, background: { color: '#203040' }, layers: [] } },
    };
    const firstTemplate = await withKey(api, '/templates', template, 'template-1');
    const againTemplate = await withKey(api, '/templates', template, 'template-1');
    expect(firstTemplate.status).toBe(201);
    expect(againTemplate.text).toBe(firstTemplate.text);
    expect((await api.get('/templates')).body.templates).toHaveLength(1);

    const cancel = { jobs: [firstBatch.body.jobs[0].id, 'no-such-job'] };
    const firstCancel = await withKey(api, '/jobs/cancel', cancel, 'cancel-1');
    expect(firstCancel.status).toBe(202);
    expect((await withKey(api, '/jobs/cancel', cancel, 'cancel-1')).text).toBe(firstCancel.text);

    for (const bad of ['', 'x'.repeat(256)]) {
      const refused = await withKey(api, '/jobs/join', join(), bad);
      expect(refused.status).toBe(400);
      expect(refused.body.details).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
    }
    expect((await withKey(api, '/jobs/join', join(), 'x'.repeat(255))).status).toBe(201);
  });

  describe('on POST /uploads', () => {
    const announce = (size = 16) => ({ filename: 'clip.mp4', contentType: 'video/mp4', size });
    const uploadsOf = async (tenantId: string) =>
      (await queryDatabase<{ id: string }>('vrs_gateway', 'SELECT id FROM uploads WHERE tenant_id = $1 ORDER BY created_at', [tenantId])).map((row) => row.id);
    const tenantWithId = async (name: string) => {
      const tenant = await createTenant(name);
      return { id: tenant.id, api: apiClient(tenant.token) };
    };

    it('answers a repeat with the first upload (one record, its uploadUrl still takes the bytes) and refuses another body with 422', async () => {
      const { id, api } = await tenantWithId('idem-upload');
      const first = await withKey(api, '/uploads', announce(), 'upload-1');
      const again = await api.call('POST', '/uploads', undefined, JSON.stringify({ size: 16, contentType: 'video/mp4', filename: 'clip.mp4' }), {
        'idempotency-key': 'upload-1',
      });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.text).toBe(first.text);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await uploadsOf(id)).toEqual([first.body.id]);
      expect((await putBytes(again.body.uploadUrl, Buffer.alloc(16, 7))).status).toBe(200);

      const other = await withKey(api, '/uploads', announce(17), 'upload-1');
      expect(other.status).toBe(422);
      expect(other.body.details).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
      expect(await uploadsOf(id)).toEqual([first.body.id]);
    });

    it('makes one upload of 20 identical requests sent at once, and keeps keys per tenant', async () => {
      const a = await tenantWithId('idem-upload-a');
      const b = await tenantWithId('idem-upload-b');
      const answers = await Promise.all(Array.from({ length: 20 }, () => withKey(a.api, '/uploads', announce(), 'upload-burst')));
      expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
      expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
      expect(await uploadsOf(a.id)).toEqual([answers[0].body.id]);

      const fromB = await withKey(b.api, '/uploads', announce(), 'upload-burst');
      expect(fromB.status).toBe(201);
      expect(fromB.body.id).not.toBe(answers[0].body.id);
      expect(await uploadsOf(b.id)).toEqual([fromB.body.id]);
    });

    it('keeps no key for a refused announcement, so the corrected one may use it', async () => {
      const { id, api } = await tenantWithId('idem-upload-refused');
      const refused = await withKey(api, '/uploads', { ...announce(), contentType: 'text/plain' }, 'upload-fix');
      expect(refused.status).toBe(400);
      const corrected = await withKey(api, '/uploads', announce(), 'upload-fix');
      expect(corrected.status).toBe(201);
      expect(await uploadsOf(id)).toEqual([corrected.body.id]);
    });
  });
});
