import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deadLetterTopic, TOPICS } from '@vrs/contracts';
import { ffprobeJson } from '@vrs/media';
import { DLQ_HEADERS } from '@vrs/messaging';
import { readTopic, testKafka, topicEnd, waitFor } from '@vrs/testing';
import { serveDirectory, type MediaServer } from '../support/media-server';
import { probeStitched } from '../support/probe';
import { apiClient, createTenant, ensureServices, publishWithKcat, SAMPLE_MEDIA, type ApiClient, type TenantCredentials } from '../support/system';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

/** ffprobe's view of a downloaded image or video stream. */
async function probeBytes(bytes: Buffer, name: string): Promise<{ codec?: string; width?: number; height?: number; fps?: string; tag?: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'join-settings-'));
  try {
    await writeFile(join(dir, name), bytes);
    const video = (await ffprobeJson(join(dir, name))).streams.find((s) => s.codec_type === 'video')!;
    return { codec: video.codec_name, width: video.width, height: video.height, fps: video.r_frame_rate, tag: video.codec_tag_string };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('join settings through HTTP, Kafka and every service', () => {
  const kafka = testKafka();
  let media: MediaServer;
  let tenant: TenantCredentials;
  let api: ApiClient;
  let hooks: WebhookReceiver;

  beforeAll(async () => {
    await ensureServices();
    media = await serveDirectory(SAMPLE_MEDIA);
    tenant = await createTenant('join-settings-e2e');
    api = apiClient(tenant.token);
    hooks = await startWebhookReceiver();
  });
  afterAll(async () => {
    await media.close();
    await hooks.close();
  });

  const clip = (name: string, extra: object = {}) => ({ type: 'video', src: media.url(name), ...extra });
  /** Refused at submit, so never fetched. */
  const anyClip = (extra: object = {}) => ({ type: 'video', src: 'https://cdn.example.com/a.mp4', ...extra });

  it.each([
    [{ output: { width: 721 } }, [anyClip()], 'settings.output.width', /even whole number/],
    [{ output: { quality: 'high', crf: 18 } }, [anyClip()], 'settings.output.crf', /quality/],
    [{ output: { aspect: '1:1', width: 720, height: 720 } }, [anyClip()], 'settings.output.aspect', /both width and height/],
    [{ output: { width: 3840, height: 2160, fps: 120 } }, [anyClip()], 'settings.output.fps', /h265/],
    [{ thumbnails: { every: 0.1 } }, [anyClip()], 'settings.thumbnails.every', /0.5 to 60 seconds/],
    [{ poster: { at: -2 } }, [anyClip()], 'settings.poster.at', /seconds from 0/],
    [{ soundtrack: { src: `upload://${randomUUID()}` } }, [anyClip()], 'settings.soundtrack.src', /does not exist/],
    [undefined, [anyClip(), anyClip({ transition: { type: 'fade', duration: 1 } })], 'assets[1].transition', /last clip/],
  ])('refuses %j with a 400 naming %s', async (settings, assets, field, message) => {
    const res = await api.post('/jobs/join', { assets, ...(settings ? { settings } : {}) });
    expect(res.status).toBe(400);
    expect(res.body.error).toContain(field);
    expect(res.body.details[0]).toEqual({ field, message: expect.stringMatching(message) });
  });

  it('dead-letters a join.requested with bad settings, with the field in the reason, and keeps consuming', async () => {
    const from = await topicEnd(kafka, deadLetterTopic(TOPICS.joinRequested));
    const bad = `bad-settings-${randomUUID().slice(0, 8)}`;
    await publishWithKcat(
      TOPICS.joinRequested,
      bad,
      JSON.stringify({
        schemaVersion: 1,
        jobId: bad,
        tenantId: tenant.id,
        assets: [clip('edts.mp4')],
        settings: { output: { codec: 'vp9' }, poster: { at: 'soon' } },
      }),
    );
    const good = `good-settings-${randomUUID().slice(0, 8)}`;
    await publishWithKcat(
      TOPICS.joinRequested,
      good,
      JSON.stringify({ schemaVersion: 1, jobId: good, tenantId: tenant.id, assets: [clip('edts.mp4')], settings: { poster: { at: 1 } } }),
    );

    const [dead] = await readTopic(kafka, deadLetterTopic(TOPICS.joinRequested), from, (m) => m.key === bad, 1, 60_000);
    expect(dead.headers[DLQ_HEADERS.reason]).toMatch(/settings\.output\.codec: must be one of "h264", "h265"/);
    expect(dead.headers[DLQ_HEADERS.reason]).toMatch(/settings\.poster\.at: must be a number of seconds/);
    const job = await waitFor(
      async () => {
        const { body } = await api.get(`/jobs/${good}`);
        return body?.status === 'finished' ? body : undefined;
      },
      120_000,
      `job ${good} from Kafka to finish`,
      250,
    );
    expect(job.posterUrl).toEqual(expect.stringContaining(`/outputs/${good}.poster.jpg?sig=`));
    expect((await api.get(`/jobs/${bad}`)).status).toBe(404);
  });

  it('joins into a 9:16 cover at 30 fps with a poster and thumbnails, signed and served like the output', async () => {
    const statusFrom = await topicEnd(kafka, TOPICS.jobStatusChanged);
    const created = await api.post('/jobs/join', {
      assets: [clip('video.mp4'), clip('edts.mp4')],
      settings: { output: { aspect: '9:16', width: 360, fit: 'cover', fps: 30 }, poster: {}, thumbnails: { every: 2, width: 90 } },
      webhook: { url: `${hooks.url}/settings` },
    });
    expect(created.status).toBe(201);
    const job = await api.waitForEnd(created.body.id, 240_000);
    expect(job).toMatchObject({ status: 'finished', outputUrl: created.body.outputUrl });
    const sig = (url: string) => new URL(url).searchParams.get('sig');
    expect(job.posterUrl).toMatch(new RegExp(`/outputs/${job.id}\\.poster\\.jpg\\?sig=[\\w-]{32}$`));
    expect(job.thumbnailsUrl).toMatch(new RegExp(`/outputs/${job.id}\\.thumbnails\\.vtt\\?sig=[\\w-]{32}$`));

    const output = await probeStitched(job.outputUrl);
    expect(await probeBytes(output.bytes, 'out.mp4')).toMatchObject({ codec: 'h264', width: 360, height: 640, fps: '30/1' });
    expect(output.duration).toBeCloseTo(14, 0);

    const poster = await fetch(job.posterUrl);
    expect(poster.status).toBe(200);
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    expect(await probeBytes(Buffer.from(await poster.arrayBuffer()), 'poster.jpg')).toMatchObject({ codec: 'mjpeg', width: 360, height: 640 });

    const index = await fetch(job.thumbnailsUrl);
    expect(index.headers.get('content-type')).toBe('text/vtt; charset=utf-8');
    const vtt = await index.text();
    const cues = vtt
      .split('\n\n')
      .slice(1)
      .map((cue) => cue.trim().split('\n'));
    // 14 s every 2 s: 7 thumbnails of 90x160, in a 3x3 grid.
    expect(cues).toHaveLength(7);
    expect(cues[0][0]).toBe('00:00:00.000 --> 00:00:02.000');
    expect(cues[4][1]).toMatch(/#xywh=90,160,90,160$/);
    const spriteUrl = cues[0][1].split('#')[0];
    expect(spriteUrl).toMatch(new RegExp(`/outputs/${job.id}\\.thumbnails\\.jpg\\?sig=[\\w-]{32}$`));
    const sprite = await fetch(spriteUrl);
    expect(sprite.headers.get('content-type')).toBe('image/jpeg');
    expect(await probeBytes(Buffer.from(await sprite.arrayBuffer()), 'sprite.jpg')).toMatchObject({ width: 270, height: 480 });

    // Signed like the output: a forged or borrowed signature opens nothing.
    expect((await fetch(job.posterUrl.replace(/sig=[^&]+/, `sig=${sig(job.outputUrl)}`))).status).toBe(404);
    expect((await fetch(spriteUrl.replace(/sig=[^&]+/, `sig=${sig(job.thumbnailsUrl)}`))).status).toBe(404);

    // The same URLs reach the webhook and the public status topic.
    const hook = await waitFor(() => hooks.received.find((r) => r.path === '/settings'), 30_000, 'the webhook');
    expect(JSON.parse(hook.body)).toMatchObject({ id: job.id, posterUrl: job.posterUrl, thumbnailsUrl: job.thumbnailsUrl });
    const [finished] = await readTopic(
      kafka,
      TOPICS.jobStatusChanged,
      statusFrom,
      (m) => m.key === job.id && JSON.parse(m.value).status === 'finished',
      1,
      30_000,
    );
    expect(JSON.parse(finished.value)).toMatchObject({ posterUrl: job.posterUrl, thumbnailsUrl: job.thumbnailsUrl, posterKey: `${job.id}.poster.jpg` });
  });

  it('joins into H.265 tagged hvc1, and keeps a plain join exactly as before', async () => {
    const hevc = await api.post('/jobs/join', {
      assets: [clip('edts.mp4'), clip('sar_2x1.mp4')],
      settings: { output: { codec: 'h265', quality: 'draft', height: 240 } },
    });
    const plain = await api.post('/jobs/join', { assets: [clip('edts.mp4')], settings: { preset: 'mp4' } });
    const [hevcJob, plainJob] = [await api.waitForEnd(hevc.body.id, 240_000), await api.waitForEnd(plain.body.id)];
    expect(hevcJob.status).toBe('finished');
    expect(await probeBytes((await probeStitched(hevcJob.outputUrl)).bytes, 'hevc.mp4')).toMatchObject({ codec: 'hevc', tag: 'hvc1', width: 428, height: 240 });
    expect(plainJob.status).toBe('finished');
    expect(plainJob).not.toHaveProperty('posterUrl');
    expect(plainJob).not.toHaveProperty('thumbnailsUrl');
    expect(await probeBytes((await probeStitched(plainJob.outputUrl)).bytes, 'plain.mp4')).toMatchObject({
      codec: 'h264',
      width: 854,
      height: 480,
      fps: '25/1',
    });
  });
});
