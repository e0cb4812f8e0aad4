import { TOPICS } from '@vrs/contracts';
import type { ApiError } from '../../http/api-error';
import { framedTemplate, inMemoryGateway } from '../../testing/in-memory-ports';
import { DeleteTemplateHandler } from '../delete-template/delete-template.handler';
import { CreateTemplateHandler } from './create-template.handler';

describe('CreateTemplateHandler and DeleteTemplateHandler (in-memory ports)', () => {
  it("adds a valid template and tells the render-adapter's replica in the same transaction; deleting tells it too", async () => {
    const gateway = inMemoryGateway();
    const { body } = framedTemplate('ignored', 'tenant-a');
    const stored = await new CreateTemplateHandler(gateway.transactions, gateway.templates, gateway.outbox).handle('tenant-a', body);
    expect(gateway.state().templates).toEqual([stored]);
    const remove = new DeleteTemplateHandler(gateway.transactions, gateway.templates, gateway.outbox);
    await expect(remove.handle('tenant-b', stored.id)).rejects.toMatchObject({ error: `Template ${stored.id} was not found.` });
    await remove.handle('tenant-a', stored.id);
    expect(gateway.state().templates).toEqual([]);
    expect(gateway.state().events).toEqual([
      { topic: TOPICS.templateChanged, key: stored.id, body: { tenantId: 'tenant-a', templateId: stored.id, template: body } },
      { topic: TOPICS.templateChanged, key: stored.id, body: { tenantId: 'tenant-a', templateId: stored.id, template: null } },
    ]);
  });

  it('refuses an invalid template naming each bad field, and stores nothing', async () => {
    const gateway = inMemoryGateway();
    const { body } = framedTemplate('ignored', 'tenant-a');
    const broken = {
      ...body,
      compositions: { main: { ...(body.compositions as any).main, layers: [{ layerName: 'title', type: 'text', text: 'hi', colour: 'red' }] } },
    };
    const error: ApiError = await new CreateTemplateHandler(gateway.transactions, gateway.templates, gateway.outbox).handle('tenant-a', broken).catch((e) => e);
    expect(error.getStatus()).toBe(400);
    expect(error.details).toEqual([{ field: 'compositions.main.layers[0].colour', message: 'is not a recognised field here' }]);
    expect(gateway.state()).toMatchObject({ templates: [], events: [] });
  });
});
