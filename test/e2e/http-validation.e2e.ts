import { apiClient, createTenant, ensureServices, GATEWAY, type ApiClient } from '../support/system';

const ok = { type: 'video', src: 'https://cdn.example.com/a.mp4' };

/** 200 malformed bodies for POST /jobs/join: each must be a 4xx with the documented error shape. */
function malformedBodies(): Array<{ raw?: string; body?: unknown }> {
  const bodies: Array<{ raw?: string; body?: unknown }> = [];
  const badValues = [
    null,
    0,
    -1,
    1.5,
    true,
    '',
    'x',
    [],
    {},
    [1],
    { a: 1 },
    'ftp://x/a.mp4',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'http://',
    '//no-scheme',
    'x'.repeat(5000),
  ];
  for (const v of badValues) {
    bodies.push({ body: { assets: v } });
    bodies.push({ body: { assets: [{ type: 'video', src: v }] } });
    bodies.push({ body: { assets: [{ type: v, src: ok.src }] } });
    bodies.push({ body: { assets: [ok], settings: { preset: v } } });
    bodies.push({ body: { assets: [ok], webhook: { url: v } } });
    bodies.push({ body: { assets: [ok], upload: { provider: 's3', params: { region: 'us-east-1', bucket: v, accessKeyId: 'a', accessKeySecret: 's' } } } });
    bodies.push({ body: { assets: [ok, { ...ok, src: v }] } });
    bodies.push({ body: v });
    bodies.push({ body: { assets: [ok], extra: v } });
  }
  const raws = [
    '',
    '{',
    '}',
    '[',
    '{"assets": [',
    'null',
    'true',
    '42',
    '"string"',
    '{"assets": [}]}',
    '{assets: []}',
    "{'assets': []}",
    '\u0000',
    '{"a":1,}',
    'not json at all',
    '<xml/>',
  ];
  for (const raw of raws) bodies.push({ raw });
  bodies.push({ body: { assets: [] } });
  bodies.push({ body: { assets: Array.from({ length: 501 }, () => ok) } });
  bodies.push({ body: { assets: [{ type: 'job', template: { id: 't' } }] } });
  bodies.push({ body: { assets: [{ type: 'job', template: { id: 't', composition: 'c' }, preview: true, settings: { quality: 'draft' } }] } });
  bodies.push({ body: { assets: [ok], upload: { provider: 'gcs', params: {} } } });
  bodies.push({ body: { assets: [ok], webhook: { url: ok.src, method: 'DELETE' } } });
  bodies.push({ body: { assets: [{ src: ok.src }] } });
  bodies.push({ raw: JSON.stringify({ assets: [{ ...ok, src: 'https://x/' + 'a'.repeat(3 * 1024 * 1024) }] }) });
  while (bodies.length < 200) bodies.push({ body: { assets: [{ type: 'video', src: `gopher://x/${bodies.length}` }] } });
  return bodies.slice(0, 200);
}

describe('HTTP input validation', () => {
  let api: ApiClient;

  beforeAll(async () => {
    await ensureServices();
    api = apiClient((await createTenant('validation-e2e')).token);
  });

  it('answers 200 malformed join bodies with 4xx and { error, details? }, never a 5xx', async () => {
    const statuses = new Map<number, number>();
    for (const { raw, body } of malformedBodies()) {
      const res = await api.call('POST', '/jobs/join', body, raw ?? (body === undefined ? 'null' : undefined));
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(typeof res.body.error).toBe('string');
      expect(res.body.error.length).toBeGreaterThan(5);
      if (res.body.details !== undefined) {
        for (const detail of res.body.details) expect(detail).toEqual({ field: expect.any(String), message: expect.any(String) });
      }
      expect(res.headers.get('x-request-id')).toBeTruthy();
    }
    expect(statuses.get(413)).toBe(1);
    expect(statuses.get(400)).toBe(199);
  });

  it('names the bad field in details', async () => {
    const res = await api.post('/jobs/join', {
      assets: [
        { type: 'video', src: 'https://ok/a.mp4' },
        { type: 'video', src: 'ftp://x/b.mp4' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toContainEqual({ field: 'assets[1].src', message: 'must be an http(s) URL' });
  });

  it('answers 401 without or with a bad token, and 404 with the error shape for unknown routes and ids', async () => {
    const anonymous = await fetch(`${GATEWAY}/jobs/join`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: expect.stringContaining('Bearer') });
    expect((await apiClient('vrs_not-a-real-token').get('/jobs')).status).toBe(401);
    const unknown = await api.get('/jobs/00000000-0000-0000-0000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatch(/not found/);
    expect((await api.get('/no/such/route')).status).toBe(404);
    expect((await api.get('/jobs?limit=5000')).status).toBe(400);
    expect((await api.get('/jobs?states=bogus')).status).toBe(400);
    expect((await api.post('/jobs/cancel', { jobs: [] })).status).toBe(400);
  });

  it("says what is wrong, at the caller's own field, in the cases that used to mislead", async () => {
    for (const path of ['/jobs?limit=abc', '/batches?limit=abc']) {
      const res = await api.get(path);
      expect({ path, status: res.status, body: res.body }).toEqual({
        path,
        status: 400,
        body: {
          error: 'The query has 1 invalid parameter: limit: must be a whole number from 1 to 1000.',
          details: [{ field: 'limit', message: 'must be a whole number from 1 to 1000' }],
        },
      });
    }
    const audio = await api.post('/jobs/join', { assets: [ok, { type: 'audio', src: 'https://cdn.example.com/b.mp3' }] });
    expect(audio.status).toBe(400);
    expect(audio.body.details).toEqual([
      { field: 'assets[1].type', message: expect.stringMatching(/^"audio" is not an asset type here: use "video" or "job" .*render job/) },
    ]);
    const nested = await api.post('/jobs', {
      template: { id: 't', composition: 'main' },
      assets: [{ type: 'job', template: { id: 't', composition: 'main' }, assets: [] }],
    });
    expect(nested.status).toBe(400);
    expect(nested.body.details).toEqual([{ field: 'assets[0].layerName', message: 'is required: the name of the template layer this asset replaces' }]);
  });

  it('answers GET /health without a token', async () => {
    const res = await fetch(`${GATEWAY}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', checks: { database: 'up', broker: 'up', consumer: 'joined' } });
  });
});
