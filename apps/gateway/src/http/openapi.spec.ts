import { openApiDocument } from './openapi';

describe('OpenAPI document', () => {
  it('offers the Idempotency-Key header, with its zod-derived limits and a 422, on every creating POST', () => {
    const document = openApiDocument(500);
    for (const path of ['/jobs', '/jobs/join', '/batches', '/templates', '/uploads', '/jobs/cancel']) {
      const post = (document.paths[path] as any).post;
      expect(post.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false, schema: expect.objectContaining({ minLength: 1, maxLength: 255 }) }));
      expect(Object.keys(post.responses)).toContain('422');
    }
  });
});
