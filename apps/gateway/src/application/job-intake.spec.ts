import { childJobId, DEV_UPLOAD_SECRET_KEY, jobOutputKey, TOPICS, uploadSrcFor } from '@vrs/contracts';
import { UploadUrls } from '../domain/upload-urls';
import type { ApiError } from '../http/api-error';
import { framedTemplate, inMemoryGateway } from '../testing/in-memory-ports';
import { JobIntake } from './job-intake';
import { TemplateChecks } from './template-checks';
import { UploadSourceResolver } from './upload-source-resolver';

const tenant = { id: 'tenant-a', name: 'a' };
const clip = (n: number) => ({ type: 'video', src: `https://cdn.example/clip-${n}.mp4` });
const upload = { provider: 's3', params: { region: 'eu-west-1', bucket: 'callers-bucket', accessKeyId: 'id', accessKeySecret: 'the-secret' } };

function intakeOver(gateway = inMemoryGateway()) {
  const urls = new UploadUrls('https://gw.example', 'http://gateway.internal', 'spec-only-output-url-secret');
  const intake = new JobIntake(
    gateway.transactions,
    gateway.views,
    gateway.outbox,
    new TemplateChecks(gateway.templates),
    new UploadSourceResolver(gateway.uploads, urls),
    { MAX_JOIN_ASSETS: 3, UPLOAD_SECRET_KEY: DEV_UPLOAD_SECRET_KEY },
  );
  return { gateway, intake, urls };
}

const refusal = (work: Promise<unknown>) =>
  work.then(
    () => {
      throw new Error('accepted');
    },
    (error: ApiError) => ({ status: error.getStatus(), error: error.error, details: error.details }),
  );

describe('JobIntake (in-memory ports)', () => {
  it("writes a join job's read-model row, first log line and join.requested event in one transaction", async () => {
    const { gateway, intake } = intakeOver();
    const job = await intake.join(tenant, { assets: [clip(1), clip(2)], upload });
    const state = gateway.state();
    expect(gateway.transactions.committed).toBe(1);
    expect(state.jobs).toEqual([expect.objectContaining({ id: job.id, tenantId: 'tenant-a', type: 'join', status: 'queued', outputKey: `${job.id}.mp4` })]);
    expect(state.logLines.map((line) => line.line)).toEqual(['accepted by the API']);
    expect(state.events).toEqual([
      { topic: TOPICS.joinRequested, key: job.id, body: expect.objectContaining({ jobId: job.id, tenantId: 'tenant-a', assets: [clip(1), clip(2)] }) },
    ]);
    // The caller's secret never goes into an event in clear.
    expect(state.events[0].body.upload.params.accessKeySecret).toMatch(/^enc:v1:/);
  });

  it('gives each job asset a child id and output key, and checks it against its template', async () => {
    const { gateway, intake } = intakeOver();
    gateway.state().templates.push(framedTemplate('tpl-1', 'tenant-a'));
    const rendered = {
      type: 'job',
      template: { id: 'tpl-1', composition: 'main' },
      assets: [{ type: 'data', layerName: 'title', property: 'Source Text', value: 'Ada' }],
    };
    const job = await intake.join(tenant, { assets: [clip(1), rendered] });
    const child = childJobId(job.id, 1);
    expect(job.children).toEqual([{ id: child, outputKey: jobOutputKey(child) }]);
    expect(gateway.state().events[0].body.assets[1]).toMatchObject({ type: 'job', template: { id: 'tpl-1' } });
  });

  it("refuses a job asset that does not fit its template, naming the caller's field, and writes nothing", async () => {
    const { gateway, intake } = intakeOver();
    gateway.state().templates.push(framedTemplate('tpl-1', 'tenant-a'));
    const wrongLayer = {
      type: 'job',
      template: { id: 'tpl-1', composition: 'main' },
      assets: [{ type: 'data', layerName: 'surname', property: 'Source Text', value: 'x' }],
    };
    expect(await refusal(intake.join(tenant, { assets: [clip(1), wrongLayer, { type: 'job', template: { id: 'nope', composition: 'main' } }] }))).toEqual({
      status: 400,
      error: 'A job asset does not fit its template: assets[1].assets[0].layerName: composition "main" has no layer "surname".',
      details: [
        { field: 'assets[1].assets[0].layerName', message: 'composition "main" has no layer "surname"' },
        { field: 'assets[2].template.id', message: 'unknown template "nope"; create it with POST /templates first' },
      ],
    });
    expect(gateway.state().jobs).toEqual([]);
    expect(gateway.state().events).toEqual([]);
  });

  it('says which types a join takes when an asset is audio, and that a nested job needs layerName', async () => {
    const { intake } = intakeOver();
    const audio = await refusal(intake.join(tenant, { assets: [clip(1), { type: 'audio', src: 'https://cdn.example/b.mp3' }] }));
    expect(audio).toMatchObject({
      status: 400,
      details: [{ field: 'assets[1].type', message: expect.stringMatching(/^"audio" is not an asset type here: use "video" or "job" .*render job/) }],
    });
    expect(audio.error).toMatch(/^The request body has 1 invalid field: assets\[1\]\.type: "audio" is not an asset type here/);
    const nested = await refusal(
      intake.render(tenant, {
        template: { id: 'tpl-1', composition: 'main' },
        assets: [{ type: 'job', template: { id: 'tpl-1', composition: 'main' }, assets: [] }],
      }),
    );
    expect(nested).toMatchObject({
      status: 400,
      details: [{ field: 'assets[0].layerName', message: 'is required: the name of the template layer this asset replaces' }],
    });
  });

  it("turns the tenant's received upload:// sources into signed read URLs, and refuses others naming the asset", async () => {
    const { gateway, intake, urls } = intakeOver();
    const received = {
      id: '6f1c2a9e-0b7d-4c55-9a11-2f3e4d5c6b7a',
      tenantId: 'tenant-a',
      filename: 'a.mp4',
      contentType: 'video/mp4',
      size: 10,
      state: 'complete' as const,
      expiresAt: new Date(Date.now() + 60_000),
    };
    const pending = { ...received, id: '7f1c2a9e-0b7d-4c55-9a11-2f3e4d5c6b7a', state: 'pending' as const };
    gateway.state().uploads.push(received, pending, { ...received, id: '8f1c2a9e-0b7d-4c55-9a11-2f3e4d5c6b7a', tenantId: 'tenant-b' });
    const job = await intake.join(tenant, { assets: [{ type: 'video', src: uploadSrcFor(received.id) }] });
    expect(gateway.state().events.find((event) => event.key === job.id)!.body.assets).toEqual([{ type: 'video', src: urls.readUrl(received.id) }]);
    expect(
      await refusal(
        intake.join(tenant, {
          assets: [clip(1), { type: 'video', src: uploadSrcFor(pending.id) }, { type: 'video', src: uploadSrcFor('8f1c2a9e-0b7d-4c55-9a11-2f3e4d5c6b7a') }],
        }),
      ),
    ).toMatchObject({
      status: 400,
      details: [
        { field: 'assets[1].src', message: expect.stringContaining('has not been received yet') },
        { field: 'assets[2].src', message: expect.stringContaining('does not exist') },
      ],
    });
  });

  it('holds a join to MAX_JOIN_ASSETS clips', async () => {
    const { intake } = intakeOver();
    expect(await refusal(intake.join(tenant, { assets: [clip(1), clip(2), clip(3), clip(4)] }))).toMatchObject({
      status: 400,
      details: [{ field: 'assets', message: 'at most 3 clips' }],
    });
  });
});
