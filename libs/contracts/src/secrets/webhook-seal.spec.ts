import { validateEvent } from '../registry';
import { sealSecret, SecretKeyError, uploadSecretKey } from './upload-secret';
import { openWebhook, sealWebhook } from './webhook-seal';

describe('webhook sealing', () => {
  const key = uploadSecretKey({ UPLOAD_SECRET_KEY: 'a-long-deployment-passphrase' });
  const webhook = { url: 'https://r.example/hook?secret=s3cr3t', headers: { Authorization: 'Bearer tok-123' }, data: { ref: 7 } };

  it('round-trips the whole webhook and shows none of it', () => {
    const sealed = sealWebhook(webhook, key);
    expect(sealed).toMatch(/^enc:v1:/);
    for (const part of ['r.example', 's3cr3t', 'Authorization', 'tok-123', 'ref']) expect(sealed).not.toContain(part);
    expect(openWebhook(sealed, key)).toEqual(webhook);
  });

  it('refuses another key, and a sealed value that is not a webhook', () => {
    const other = uploadSecretKey({ UPLOAD_SECRET_KEY: 'another-deployment-passphrase' });
    expect(() => openWebhook(sealWebhook(webhook, key), other)).toThrow(SecretKeyError);
    expect(() => openWebhook(sealSecret(JSON.stringify({ url: 'file:///etc/passwd' }), key), key)).toThrow(SecretKeyError);
  });

  it('is the only form job.webhook-requested accepts, and job.status-changed has no webhook at all', () => {
    const snapshot = {
      eventId: '6f1c2d3e-0000-4000-8000-000000000001',
      schemaVersion: 1,
      occurredAt: '2025-01-01T00:00:00.000Z',
      jobId: 'job-1',
      tenantId: 't-1',
      parentId: null,
      type: 'join',
      status: 'finished',
      progress: 100,
      sequence: 3,
      outputKey: 'job-1.mp4',
      outputUrl: 'http://api.example/outputs/job-1.mp4?sig=x',
      uploadedUrl: null,
      children: [],
      logLine: 'finished',
      stats: { createdAt: 'a', updatedAt: 'b', startedAt: 'c', finishedAt: 'd', errorAt: null, error: null },
    };
    expect(validateEvent('job.webhook-requested', { ...snapshot, webhook: sealWebhook(webhook, key) }).ok).toBe(true);
    const clear = validateEvent('job.webhook-requested', { ...snapshot, webhook: JSON.stringify(webhook) });
    expect(clear).toMatchObject({ ok: false, issues: [{ field: 'webhook', message: 'must be sealed (enc:v1:…)' }] });
    expect(validateEvent('job.status-changed', snapshot).ok).toBe(true);
    expect(validateEvent('job.status-changed', { ...snapshot, webhook }).ok).toBe(false);
  });
});
