import { DEV_UPLOAD_SECRET_KEY, TOPICS } from '@vrs/contracts';
import { JobIntake } from '../../application/job-intake';
import { TemplateChecks } from '../../application/template-checks';
import { UploadSourceResolver } from '../../application/upload-source-resolver';
import { UploadUrls } from '../../domain/upload-urls';
import { framedTemplate, inMemoryGateway } from '../../testing/in-memory-ports';
import { CreateBatchHandler } from './create-batch.handler';

const tenant = { id: 'tenant-a', name: 'a' };
const join = (n: number) => ({ assets: [{ type: 'video', src: `https://cdn.example/clip-${n}.mp4` }] });
const render = { template: { id: 'tpl-1', composition: 'main' }, assets: [{ type: 'data', layerName: 'title', property: 'Source Text', value: 'Ada' }] };

function handlerOver(gateway = inMemoryGateway()) {
  const intake = new JobIntake(
    gateway.transactions,
    gateway.views,
    gateway.outbox,
    new TemplateChecks(gateway.templates),
    new UploadSourceResolver(gateway.uploads, new UploadUrls('https://gw.example', 'https://gw.example', 'spec-only-output-url-secret')),
    { MAX_JOIN_ASSETS: 500, UPLOAD_SECRET_KEY: DEV_UPLOAD_SECRET_KEY },
  );
  return { gateway, handler: new CreateBatchHandler(intake, gateway.transactions, gateway.views) };
}

describe('CreateBatchHandler (in-memory ports)', () => {
  it('creates the valid entries as join or render jobs of one batch, in one transaction, and reports each invalid one by index', async () => {
    const { gateway, handler } = handlerOver();
    gateway.state().templates.push(framedTemplate('tpl-1', 'tenant-a'));
    const created = await handler.handle(tenant, [join(0), { assets: [] }, render, { template: { id: 'gone', composition: 'main' }, assets: [] }, join(4)]);
    expect(created.accepted.map(({ index, prepared }) => [index, prepared.job.type])).toEqual([
      [0, 'join'],
      [2, 'render'],
      [4, 'join'],
    ]);
    expect(created.errors).toEqual([
      {
        index: 1,
        error: expect.stringContaining('assets: needs at least one clip'),
        errorCode: 'invalid_job',
        details: [{ field: 'assets', message: 'needs at least one clip' }],
      },
      {
        index: 3,
        error: expect.stringContaining('template.id: unknown template "gone"'),
        errorCode: 'invalid_job',
        details: [{ field: 'template.id', message: expect.any(String) }],
      },
    ]);
    const state = gateway.state();
    expect(gateway.transactions.committed).toBe(1);
    expect(state.batches).toEqual([expect.objectContaining({ id: created.batchId, tenantId: 'tenant-a' })]);
    expect(state.jobs.map((job) => [job.id, job.batchId])).toEqual(created.accepted.map(({ prepared }) => [prepared.job.id, created.batchId]));
    expect(state.events.map((event) => [event.topic, event.key])).toEqual([
      [TOPICS.joinRequested, created.accepted[0].prepared.job.id],
      [TOPICS.renderJobRequested, created.accepted[1].prepared.job.id],
      [TOPICS.joinRequested, created.accepted[2].prepared.job.id],
    ]);
  });

  it('writes nothing of the batch when one of its events breaks the contract after the rows went in', async () => {
    const { gateway, handler } = handlerOver();
    const intake = (handler as unknown as { intake: JobIntake }).intake;
    const prepare = intake.prepareJoin.bind(intake);
    jest.spyOn(intake, 'prepareJoin').mockImplementation(async (who, body) => {
      const prepared = await prepare(who, body);
      return body === spoiled
        ? { ...prepared, event: { ...prepared.event, body: { ...prepared.event.body, assets: 'not a list' } } as typeof prepared.event }
        : prepared;
    });
    const spoiled = join(1);
    await expect(handler.handle(tenant, [join(0), spoiled, join(2)])).rejects.toThrow(/refusing to publish an invalid join.requested event/);
    expect(gateway.state()).toMatchObject({ batches: [], jobs: [], logLines: [], events: [] });
  });
});
