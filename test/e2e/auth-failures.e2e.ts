import { apiClient, createTenant, ensureServices, GATEWAY, restartServices } from '../support/system';

// A small limit and a short window, for this file only (restored at the end).
const LIMIT = 5;
const WINDOW_SECONDS = 3;

/** Failed authentications are limited per client address, on tenant routes and the admin route alike. */
describe('failed-authentication limit', () => {
  beforeAll(async () => {
    await ensureServices();
    await restartServices(['gateway'], { AUTH_FAILURE_LIMIT: String(LIMIT), AUTH_FAILURE_WINDOW_SECONDS: String(WINDOW_SECONDS) });
  });
  afterAll(() => restartServices(['gateway']));

  const badTemplates = () => apiClient('vrs_wrong-token-guess').get('/templates');
  const badAdmin = () =>
    fetch(`${GATEWAY}/admin/tenants`, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong-admin-token-guess', 'content-type': 'application/json' },
      body: '{"name":"x"}',
    });
  const windowPasses = () => new Promise((resolve) => setTimeout(resolve, WINDOW_SECONDS * 1000 + 200));

  it('answers 429 with Retry-After past the limit, lets recently valid tokens through, and lifts after the window', async () => {
    const tenant = apiClient((await createTenant('auth-limit-e2e')).token);
    expect((await tenant.get('/templates')).status).toBe(200);

    for (let i = 0; i < LIMIT; i++) expect((await badTemplates()).status).toBe(401);
    const refused = await badTemplates();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(refused.body).toEqual({ error: expect.stringContaining('Too many failed authentications') });
    // The address, not the route, is limited: the admin route refuses it too, before looking at the token.
    expect((await badAdmin()).status).toBe(429);

    // Tokens that authenticated recently still work from the same address (the admin token was used by createTenant)...
    expect((await tenant.get('/templates')).status).toBe(200);
    const newcomer = apiClient((await createTenant('auth-limit-newcomer')).token);
    // ...but a token this instance has not yet seen succeed is not even looked up.
    expect((await newcomer.get('/templates')).status).toBe(429);

    await windowPasses();
    expect((await newcomer.get('/templates')).status).toBe(200);
    expect((await badTemplates()).status).toBe(401);
  });

  it('limits the admin route the same way', async () => {
    await windowPasses();
    for (let i = 0; i < LIMIT; i++) expect((await badAdmin()).status).toBe(401);
    const refused = await badAdmin();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^[1-3]$/);
    expect(await refused.json()).toEqual({ error: expect.any(String) });
    expect((await badTemplates()).status).toBe(429);
    await windowPasses();
    expect((await badAdmin()).status).toBe(401);
  });
});
