import { z } from 'zod';
import { jobView } from '@vrs/contracts';
import { openApiDocument } from './openapi';

const document = openApiDocument(500) as any;
const operations = () =>
  Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods as object).map(([method, op]) => ({ path, method, op })));

describe('OpenAPI document', () => {
  it('offers the Idempotency-Key header, with its zod-derived limits and a 422, on every creating POST', () => {
    for (const path of ['/jobs', '/jobs/join', '/batches', '/templates', '/uploads', '/jobs/cancel']) {
      const post = document.paths[path].post;
      expect(post.parameters).toContainEqual(
        expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false, schema: expect.objectContaining({ minLength: 1, maxLength: 255 }) }),
      );
      expect(Object.keys(post.responses)).toContain('422');
    }
  });

  it('describes answers with the zod schemas the gateway presents them by, parentId included', () => {
    expect(document.components.schemas.Job).toEqual(z.toJSONSchema(jobView, { io: 'output' }));
    expect(Object.keys(document.components.schemas.Job.properties)).toContain('parentId');
    expect(document.paths['/jobs/{id}'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Job' });
    for (const { path, method, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
        if (status.startsWith('2') && status !== '204' && !['/outputs/{key}', '/jobs/{id}/logs', '/health'].includes(path)) {
          expect({ path, method, status, schema: response.content?.['application/json']?.schema?.$ref }).toEqual({
            path,
            method,
            status,
            schema: expect.stringMatching(/^#\/components\/schemas\//),
          });
        }
      }
    }
  });

  it('resolves every $ref to a component', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]);
    expect(refs.length).toBeGreaterThan(20);
    for (const name of refs) expect(Object.keys(document.components.schemas)).toContain(name);
  });

  it('lists POST /admin/tenants and the 429, 413 and 416 answers', () => {
    expect(document.paths['/admin/tenants'].post.responses).toHaveProperty('201.content.application/json.schema', {
      $ref: '#/components/schemas/TenantCreated',
    });
    for (const { path, method, op } of operations()) {
      if (op.security?.length === 0) continue;
      expect({ path, method, codes: Object.keys(op.responses) }).toEqual({ path, method, codes: expect.arrayContaining(['401', '429']) });
      if (op.requestBody) expect({ path, method, codes: Object.keys(op.responses) }).toEqual({ path, method, codes: expect.arrayContaining(['400', '413']) });
    }
    expect(Object.keys(document.paths['/outputs/{key}'].get.responses)).toEqual(expect.arrayContaining(['206', '404', '416']));
  });
});
