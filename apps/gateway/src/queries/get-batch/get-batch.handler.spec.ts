import { inMemoryGateway } from '../../testing/in-memory-ports';
import { ListBatchesHandler } from '../list-batches/list-batches.handler';
import { GetBatchHandler } from './get-batch.handler';

describe('GetBatchHandler and ListBatchesHandler (in-memory ports)', () => {
  it("counts a batch's jobs by outcome and is processing while any runs, error once any failed or was cancelled", async () => {
    const gateway = inMemoryGateway();
    await gateway.views.insertBatch('b-1', 'tenant-a');
    await gateway.views.insertQueued(
      ['j-1', 'j-2', 'j-3'].map((id) => ({ id, tenantId: 'tenant-a', type: 'join' as const, outputKey: `${id}.mp4`, batchId: 'b-1' })),
      new Date(),
    );
    const get = new GetBatchHandler(gateway.views);
    const status = (id: string, value: 'finished' | 'manually_cancelled') => {
      gateway.state().jobs.find((job) => job.id === id)!.status = value;
    };

    status('j-1', 'finished');
    expect(await get.handle('tenant-a', 'b-1')).toEqual({ id: 'b-1', status: 'processing', stats: { total: 3, finished: 1, error: 0, pending: 2 } });
    status('j-2', 'finished');
    status('j-3', 'manually_cancelled');
    expect((await get.handle('tenant-a', 'b-1')).status).toBe('error');
    expect(await new ListBatchesHandler(gateway.views).handle('tenant-a', 10)).toEqual({
      batches: [{ id: 'b-1', status: 'error', createdAt: expect.any(String), stats: { total: 3, finished: 2, error: 1, pending: 0 } }],
    });
    await expect(get.handle('tenant-b', 'b-1')).rejects.toMatchObject({ error: 'Batch b-1 was not found.' });
  });
});
