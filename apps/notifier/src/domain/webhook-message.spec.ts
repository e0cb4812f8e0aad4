import { createHmac } from 'node:crypto';
import { OutputUrls, type JobStatusChanged } from '@vrs/contracts';
import { nextAttemptAt, retryDelayMs } from './retry-schedule';
import { attemptHeaders, signatureHeader, webhookMessageFor } from './webhook-message';

const event: JobStatusChanged = {
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
const urls = new OutputUrls('http://api.example', 'a-secret-of-16-chars');

describe('webhook message', () => {
  it('is the job as GET /jobs/:id shows it plus data, with the caller headers but not ours', () => {
    const message = webhookMessageFor(
      event,
      { url: 'https://r.example/h', data: { ref: 7 }, headers: { 'X-Team': 'a', 'X-Webhook-Id': 'forged', Host: 'evil' } },
      urls,
    );
    expect(JSON.parse(message.body)).toEqual({
      id: 'job-1',
      type: 'join',
      status: 'finished',
      progress: 100,
      outputUrl: urls.urlFor('job-1.mp4'),
      children: [],
      stats: { createdAt: 'a', updatedAt: 'b', startedAt: 'c', finishedAt: 'd', errorAt: null, error: null },
      data: { ref: 7 },
    });
    expect(message).toMatchObject({ method: 'POST', headers: { 'X-Team': 'a' } });
    expect(Object.keys(message.headers)).toEqual(['X-Team']);
  });

  it('carries the signed poster and thumbnails URLs and the overlap of a join that made them', () => {
    const made = { ...event, posterKey: 'job-1.poster.jpg', thumbnailsKey: 'job-1.thumbnails.vtt', overlapSec: 1.5 };
    expect(JSON.parse(webhookMessageFor(made, { url: 'https://r.example/h' }, urls).body)).toMatchObject({
      posterUrl: urls.urlFor('job-1.poster.jpg'),
      thumbnailsUrl: urls.urlFor('job-1.thumbnails.vtt'),
      overlapSec: 1.5,
    });
  });

  it('sends only data when custom', () => {
    expect(JSON.parse(webhookMessageFor(event, { url: 'https://r.example/h', method: 'PUT', custom: true, data: { a: 1 } }, urls).body)).toEqual({ a: 1 });
  });

  it('signs "<t>.<body>" with HMAC-SHA256 so a receiver can recompute it', () => {
    const at = new Date('2025-01-01T00:00:10.500Z');
    const header = signatureHeader('whsec_x', '{"a":1}', at);
    expect(header).toBe(`t=1735689610,v1=${createHmac('sha256', 'whsec_x').update('1735689610.{"a":1}').digest('hex')}`);
    const headers = attemptHeaders({ url: 'u', method: 'POST', headers: { 'x-team': 'a' }, body: '{}' }, 'dlv-1', 'whsec_x', at);
    expect(headers).toMatchObject({ 'x-team': 'a', 'x-webhook-id': 'dlv-1', 'content-type': 'application/json' });
  });
});

describe('retry schedule', () => {
  const schedule = { initialBackoffMs: 1_000, maxBackoffMs: 60_000 };

  it('grows every gap even at the extremes of the jitter, up to the cap', () => {
    for (let attempt = 1; attempt < 6; attempt++) {
      expect(retryDelayMs(attempt + 1, schedule, () => 0)).toBeGreaterThan(retryDelayMs(attempt, schedule, () => 1));
    }
    expect(retryDelayMs(1, schedule, () => 0)).toBe(750);
    expect(retryDelayMs(30, schedule, () => 1)).toBe(60_000);
  });

  it('gives up when the next attempt would fall past the retry window', () => {
    const now = new Date('2025-01-01T00:00:00Z');
    expect(nextAttemptAt(1, now, new Date(now.getTime() + 10_000), schedule, () => 1)).toEqual(new Date(now.getTime() + 1_000));
    expect(nextAttemptAt(5, now, new Date(now.getTime() + 10_000), schedule, () => 0)).toBeNull();
  });
});
