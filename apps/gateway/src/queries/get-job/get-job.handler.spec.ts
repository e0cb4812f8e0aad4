import { inMemoryGateway } from '../../testing/in-memory-ports';
import { GetJobHandler } from './get-job.handler';

describe('GetJobHandler (in-memory ports)', () => {
  it("answers the tenant's own job and its log as text, and another tenant's as not found", async () => {
    const gateway = inMemoryGateway();
    await gateway.views.insertQueued([{ id: 'j-1', tenantId: 'tenant-a', type: 'render', outputKey: 'j-1.mp4' }], new Date('2026-03-01T10:00:00Z'));
    const handler = new GetJobHandler(gateway.views);
    expect(await handler.job('tenant-a', 'j-1')).toMatchObject({ id: 'j-1', type: 'render', status: 'queued' });
    expect(await handler.log('tenant-a', 'j-1')).toBe('2026-03-01T10:00:00.000Z accepted by the API\n');
    await expect(handler.job('tenant-b', 'j-1')).rejects.toMatchObject({ error: 'Job j-1 was not found.' });
    await expect(handler.log('tenant-b', 'j-1')).rejects.toMatchObject({ error: 'Job j-1 was not found.' });
  });
});
