import { TOPICS } from '@vrs/contracts';
import { inMemoryGateway } from '../../testing/in-memory-ports';
import { CancelJobsHandler } from './cancel-jobs.handler';

describe('CancelJobsHandler (in-memory ports)', () => {
  it("asks to cancel only the tenant's jobs that have not ended, and says what became of each id", async () => {
    const gateway = inMemoryGateway();
    await gateway.views.insertQueued(
      [
        { id: 'j-queued', tenantId: 'tenant-a', type: 'join', outputKey: 'j-queued.mp4' },
        { id: 'j-done', tenantId: 'tenant-a', type: 'join', outputKey: 'j-done.mp4' },
        { id: 'j-other', tenantId: 'tenant-b', type: 'join', outputKey: 'j-other.mp4' },
      ],
      new Date(),
    );
    gateway.state().jobs.find((job) => job.id === 'j-done')!.status = 'finished';
    const handler = new CancelJobsHandler(gateway.transactions, gateway.views, gateway.outbox);

    expect(await handler.cancel('tenant-a', ['j-queued', 'j-done', 'j-other', 'j-unknown'])).toEqual([
      { id: 'j-queued', result: 'cancel_requested', status: 'queued' },
      { id: 'j-done', result: 'already_ended', status: 'finished' },
      { id: 'j-other', result: 'not_found' },
      { id: 'j-unknown', result: 'not_found' },
    ]);
    expect(gateway.state().events).toEqual([
      { topic: TOPICS.jobCancelRequested, key: 'j-queued', body: { jobId: 'j-queued', tenantId: 'tenant-a', reason: 'cancelled through the API' } },
    ]);
    expect(gateway.transactions.committed).toBe(1);
  });
});
