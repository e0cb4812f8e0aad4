import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@vrs/testing';
import { serveDirectory, type MediaServer } from '../support/media-server';
import { probeStitched, videoDurationOf } from '../support/probe';
import { apiClient, createTenant, ensureServices, GATEWAY, REPO_ROOT, restartServices, SAMPLE_MEDIA, type ApiClient } from '../support/system';
import { putBytes, uploadFile } from '../support/uploads';

const OUTPUTS = join(REPO_ROOT, '.var/outputs');
const CLIP = join(SAMPLE_MEDIA, 'video.mp4');
const storedObject = (tenantId: string, id: string) => join(OUTPUTS, 'uploads', tenantId, id);

describe('source uploads (POST /uploads, PUT uploadUrl, upload:// in jobs)', () => {
  let media: MediaServer;
  let api: ApiClient;
  let tenantId: string;

  beforeAll(async () => {
    await ensureServices();
    media = await serveDirectory(SAMPLE_MEDIA);
    const tenant = await createTenant('source-uploads-e2e');
    api = apiClient(tenant.token);
    tenantId = tenant.id;
  });
  afterAll(() => media.close());

  it('joins an uploaded clip with a URL clip into one MP4 of both lengths', async () => {
    const upload = await uploadFile(api, CLIP);
    expect(upload).toMatchObject({
      id: expect.any(String),
      src: `upload://${upload.id}`,
      uploadUrl: expect.stringContaining(`/uploads/${upload.id}/content?sig=`),
    });
    expect(new Date(upload.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(readFileSync(storedObject(tenantId, upload.id)).equals(readFileSync(CLIP))).toBe(true);

    const created = await api.post('/jobs/join', {
      assets: [
        { type: 'video', src: upload.src },
        { type: 'video', src: media.url('edts.mp4') },
      ],
    });
    expect(created.status).toBe(201);
    const job = await api.waitForEnd(created.body.id);
    expect(job.stats.error).toBeNull();
    expect(job.status).toBe('finished');
    const output = await probeStitched(job.outputUrl);
    const expected = (await videoDurationOf(CLIP)) + (await videoDurationOf(join(SAMPLE_MEDIA, 'edts.mp4')));
    expect(Math.abs(output.duration - expected)).toBeLessThanOrEqual(1 / output.fps + 0.001);
  });

  it('uses an uploaded clip as the footage of a template layer (job asset)', async () => {
    const upload = await uploadFile(api, CLIP);
    const template = await api.post('/templates', {
      name: 'Framed upload',
      driver: 'builtin',
      compositions: {
        main: {
          width: 160,
          height: 90,
          fps: 25,
          durationSec: 1,
          background: { color: '#203040' },
          layers: [{ layerName: 'clip', type: 'video', src: media.url('sar_2x1.mp4'), x: 40, y: 20, width: 80, height: 46 }],
        },
      },
    });
    expect(template.status).toBe(201);
    const created = await api.post('/jobs/join', {
      assets: [{ type: 'job', template: { id: template.body.id, composition: 'main' }, assets: [{ type: 'video', layerName: 'clip', src: upload.src }] }],
    });
    expect(created.status).toBe(201);
    const job = await api.waitForEnd(created.body.id);
    expect(job.stats.error).toBeNull();
    expect(job.status).toBe('finished');
    expect(Math.abs((await probeStitched(job.outputUrl)).duration - 1)).toBeLessThanOrEqual(0.05);
  });

  it('is in the OpenAPI document, from the same schemas that validate it', async () => {
    const document: any = await (await fetch(`${GATEWAY}/openapi.json`)).json();
    expect(Object.keys(document.paths['/uploads'])).toEqual(['post']);
    expect(Object.keys(document.paths['/uploads/{id}/content'])).toEqual(['put']);
    expect(document.components.schemas.CreateUpload).toMatchObject({ required: ['filename', 'contentType', 'size'], additionalProperties: false });
    expect(Object.keys(document.components.schemas.UploadCreated.properties)).toEqual(['id', 'uploadUrl', 'src', 'expiresAt']);
  });

  it('refuses a declared size over the limit (413) and a type that is not media (400)', async () => {
    const big = await api.post('/uploads', { filename: 'big.mp4', contentType: 'video/mp4', size: 3 * 1024 ** 3 });
    expect(big.status).toBe(413);
    expect(big.body.details).toEqual([{ field: 'size', message: expect.stringContaining('at most') }]);
    const text = await api.post('/uploads', { filename: 'notes.txt', contentType: 'text/plain', size: 10 });
    expect(text.status).toBe(400);
    expect(text.body.details).toEqual([{ field: 'contentType', message: expect.stringContaining('video/*') }]);
  });

  it('refuses more bytes than declared (413, nothing kept), fewer (400), a second PUT (409) and a bad signature (403)', async () => {
    const bytes = readFileSync(CLIP);
    const created = await api.post('/uploads', { filename: 'video.mp4', contentType: 'video/mp4', size: bytes.length - 10 });
    expect(created.status).toBe(201);
    const more = await putBytes(created.body.uploadUrl, bytes);
    expect(more.status).toBe(413);
    expect(existsSync(storedObject(tenantId, created.body.id))).toBe(false);
    const notReceived = await api.post('/jobs/join', { assets: [{ type: 'video', src: created.body.src }] });
    expect(notReceived.status).toBe(400);
    expect(notReceived.body.details).toEqual([{ field: 'assets[0].src', message: expect.stringContaining('not been received') }]);

    // Streamed without a Content-Length, the overflow is only seen on the way: still 413, still nothing kept.
    const streamed = await fetch(created.body.uploadUrl, { method: 'PUT', body: new Blob([bytes]).stream(), duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(existsSync(storedObject(tenantId, created.body.id))).toBe(false);

    const fewer = await putBytes(created.body.uploadUrl, bytes.subarray(0, bytes.length - 20));
    expect(fewer.status).toBe(400);
    const forged = await putBytes(created.body.uploadUrl.replace(/sig=[^&]+/, 'sig=forged'), bytes.subarray(0, bytes.length - 10));
    expect(forged.status).toBe(403);
    // One upload's signature does not open another upload, and a write URL does not read.
    const other = await api.post('/uploads', { filename: 'other.mp4', contentType: 'video/mp4', size: bytes.length - 10 });
    expect((await putBytes(created.body.uploadUrl.replace(created.body.id, other.body.id), bytes.subarray(0, bytes.length - 10))).status).toBe(403);
    const exact = await putBytes(created.body.uploadUrl, bytes.subarray(0, bytes.length - 10));
    expect(exact).toMatchObject({ status: 200, body: { id: created.body.id, src: created.body.src, size: bytes.length - 10 } });
    const again = await putBytes(created.body.uploadUrl, bytes.subarray(0, bytes.length - 10));
    expect(again.status).toBe(409);
    expect(readFileSync(storedObject(tenantId, created.body.id)).equals(bytes.subarray(0, bytes.length - 10))).toBe(true);
    const read = await fetch(created.body.uploadUrl);
    expect(read.status).toBe(404);
    await read.arrayBuffer();
  });

  it("refuses another tenant's upload at submit, naming the field", async () => {
    const upload = await uploadFile(api, CLIP);
    const other = apiClient((await createTenant('source-uploads-other')).token);
    const res = await other.post('/jobs/join', {
      assets: [
        { type: 'video', src: media.url('video.mp4') },
        { type: 'video', src: upload.src },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'assets[1].src', message: expect.stringContaining('does not exist') }]);
    const render = await other.post('/jobs', { template: { id: 'any', composition: 'main' }, assets: [{ type: 'image', layerName: 'logo', src: upload.src }] });
    expect(render.status).toBe(400);
    expect(render.body.details).toEqual([{ field: 'assets[0].src', message: expect.stringContaining('does not exist') }]);
    const forgedSrc = await api.post('/jobs/join', { assets: [{ type: 'video', src: 'upload://../../outputs/x' }] });
    expect(forgedSrc.status).toBe(400);
    expect(forgedSrc.body.details).toEqual([{ field: 'assets[0].src', message: expect.stringContaining('upload://') }]);
  });

  describe('after expiry (UPLOAD_EXPIRY_SECONDS=2, cleanup every 300 ms)', () => {
    beforeAll(() => restartServices(['gateway'], { UPLOAD_EXPIRY_SECONDS: '2', UPLOAD_CLEANUP_INTERVAL_MS: '300' }));
    afterAll(() => restartServices(['gateway']));

    it('refuses the src at submit, answers the PUT with 410/404 and deletes the object and the record', async () => {
      const received = await uploadFile(api, CLIP);
      const announced = await api.post('/uploads', { filename: 'late.mp4', contentType: 'video/mp4', size: 100 });
      expect(existsSync(storedObject(tenantId, received.id))).toBe(true);
      await waitFor(() => (Date.now() > new Date(announced.body.expiresAt).getTime() + 50 ? true : undefined), 10_000, 'the uploads to expire');

      const refused = await api.post('/jobs/join', { assets: [{ type: 'video', src: received.src }] });
      expect(refused.status).toBe(400);
      expect(refused.body.details).toEqual([{ field: 'assets[0].src', message: expect.stringMatching(/expired|does not exist/) }]);
      const late = await putBytes(announced.body.uploadUrl, Buffer.alloc(100));
      expect([404, 410]).toContain(late.status);

      await waitFor(() => (existsSync(storedObject(tenantId, received.id)) ? undefined : true), 15_000, 'the cleanup to delete the object');
      // The announced upload expired a few ms after the received one, so a later sweep may take its record.
      const gone = await waitFor(
        async () => {
          const status = (await putBytes(announced.body.uploadUrl, Buffer.alloc(100))).status;
          return status === 410 ? undefined : status;
        },
        15_000,
        "the cleanup to delete the announced upload's record",
      );
      expect(gone).toBe(404);
      expect((await api.post('/jobs/join', { assets: [{ type: 'video', src: received.src }] })).body.details).toEqual([
        { field: 'assets[0].src', message: expect.stringContaining('does not exist') },
      ]);
    });
  });
});
