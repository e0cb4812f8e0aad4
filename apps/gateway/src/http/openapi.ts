import type { INestApplication } from '@nestjs/common';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';
import { createUploadBody, IDEMPOTENCY_KEY_HEADER, idempotencyKey, joinJobBody, JOB_STATUSES, renderJobBody, uploadCreated } from '@vrs/contracts';
import { templateSchema } from '@vrs/render';

const error = { type: 'object', required: ['error'], properties: { error: { type: 'string' }, details: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } } } };
const errors = (...codes: number[]) => Object.fromEntries(codes.map((code) => [code, { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }]));
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
const job = {
  type: 'object',
  properties: {
    id: { type: 'string' }, type: { enum: ['join', 'render'] }, status: { enum: [...JOB_STATUSES] }, progress: { type: 'number', minimum: 0, maximum: 100 },
    outputUrl: { type: 'string', description: 'Signed URL of the output; the same before and after the job finishes; supports Range requests.' },
    uploadedUrl: { type: 'string' }, children: { type: 'array', items: { type: 'object' } },
    posterUrl: { type: 'string', description: 'A finished join that asked for settings.poster: signed URL of its JPEG poster.' },
    thumbnailsUrl: { type: 'string', description: 'A finished join that asked for settings.thumbnails: signed URL of the WebVTT index of its thumbnail sprite (#xywh= cues).' },
    overlapSec: { type: 'number', description: 'A finished join with crossfades: seconds the output is shorter than its clips together.' },
    warnings: { type: 'array', items: { type: 'string' } },
    stats: { type: 'object', properties: Object.fromEntries(['createdAt', 'updatedAt', 'startedAt', 'finishedAt', 'errorAt', 'error'].map((k) => [k, { type: ['string', 'null'] }])) },
  },
};

const toSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as any;
/** The header every creating POST honours (see docs/api.md); add it to a new creating route's `parameters`. */
const idempotencyKeyParam = { name: IDEMPOTENCY_KEY_HEADER, in: 'header', required: false, schema: toSchema(idempotencyKey), description: idempotencyKey.description };
const created = { description: 'created', ...json({ type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' }, outputUrl: { type: 'string' }, children: { type: 'array' } } }) };

/** The public contract as OpenAPI 3.1, built from the same zod schemas that validate requests. */
export function openApiDocument(maxAssets: number): OpenAPIObject {
  return {
    openapi: '3.1.0',
    info: { title: 'Video render-and-stitch API', version: '1.0.0', description: 'Every route but /health and /docs needs `Authorization: Bearer <api token>`. Errors are `{ error, details? }`; every response carries `X-Request-Id`. Failed authentications are limited per client address: past the limit every route answers `429` with `Retry-After`. Creating POSTs take an optional `Idempotency-Key` header.' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: error,
        Job: job,
        JoinJob: toSchema(joinJobBody(maxAssets)),
        RenderJob: toSchema(renderJobBody),
        Template: toSchema(templateSchema),
        CreateUpload: toSchema(createUploadBody),
        UploadCreated: toSchema(uploadCreated),
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/jobs/join': { post: { parameters: [idempotencyKeyParam], summary: 'Create a join job (concatenate clips into one MP4; job assets render first)', requestBody: json({ $ref: '#/components/schemas/JoinJob' }), responses: { 201: created, ...errors(400, 401, 413, 422, 429) } } },
      '/batches': { post: { parameters: [idempotencyKeyParam], summary: 'Create up to 1000 jobs (render or join); valid entries are created even when others are invalid', requestBody: json({ type: 'object', required: ['jobs'], properties: { jobs: { type: 'array', minItems: 1, maxItems: 1000, items: { anyOf: [{ $ref: '#/components/schemas/JoinJob' }, { $ref: '#/components/schemas/RenderJob' }] } } } }), responses: { 201: { description: '{ batchId, status: created|partial|error, totalJobs, successCount, jobs, errors? }' }, ...errors(400, 401, 413, 422, 429) } }, get: { summary: "List the tenant's batches, newest first", parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } }], responses: { 200: { description: '{ batches: [{ id, status, createdAt, stats: { total, finished, error, pending } }] }' }, ...errors(400, 401) } } },
      '/batches/{id}': { get: { summary: "A batch's progress", parameters: idParam, responses: { 200: { description: '{ id, status: processing|finished|error, stats: { total, finished, error, pending } }' }, ...errors(401, 404) } } },
      '/templates': {
        post: { parameters: [idempotencyKeyParam], summary: 'Create a template (validated; unknown fonts, bad colours, layers outside the frame are 400s)', requestBody: json({ $ref: '#/components/schemas/Template' }), responses: { 201: { description: 'created' }, ...errors(400, 401, 422, 429) } },
        get: { summary: "List the tenant's templates", responses: { 200: { description: 'templates' }, ...errors(401) } },
      },
      '/templates/{id}': {
        get: { summary: 'A template', parameters: idParam, responses: { 200: { description: 'template' }, ...errors(401, 404) } },
        delete: { summary: 'Delete a template', parameters: idParam, responses: { 204: { description: 'deleted' }, ...errors(401, 404) } },
      },
      '/jobs/{id}/webhooks': { get: { summary: "The job's webhook delivery log (attempts, status codes, timings)", parameters: idParam, responses: { 200: { description: 'deliveries' }, ...errors(401, 404) } } },
      '/jobs/{id}/webhooks/redeliver': { post: { summary: "Deliver the job's webhook again (same X-Webhook-Id)", parameters: idParam, responses: { 202: { description: 'redelivery requested' }, ...errors(401, 404, 409) } } },
      '/jobs': { post: { parameters: [idempotencyKeyParam], summary: 'Create a render job from a template', requestBody: json({ $ref: '#/components/schemas/RenderJob' }), responses: { 201: created, ...errors(400, 401, 413, 422, 429) } }, get: { summary: "List the tenant's jobs", parameters: [
        { name: 'states', in: 'query', schema: { type: 'string' }, description: 'comma-separated statuses' },
        { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 1000, default: 100 } },
        { name: 'from', in: 'query', schema: { type: 'string', format: 'date-time' } },
        { name: 'sort', in: 'query', schema: { enum: ['asc', 'desc'] } }], responses: { 200: { description: 'jobs', ...json({ type: 'object', properties: { jobs: { type: 'array', items: { $ref: '#/components/schemas/Job' } } } }) }, ...errors(400, 401) } } },
      '/jobs/{id}': { get: { summary: 'A job (404 for unknown ids and other tenants\' jobs)', parameters: idParam, responses: { 200: { description: 'job', ...json({ $ref: '#/components/schemas/Job' }) }, ...errors(401, 404) } } },
      '/jobs/{id}/logs': { get: { summary: "Plain-text log of the job's steps", parameters: idParam, responses: { 200: { description: 'log', content: { 'text/plain': { schema: { type: 'string' } } } }, ...errors(401, 404) } } },
      '/jobs/{id}/cancel': { patch: { summary: 'Cancel a queued, pending or rendering job', parameters: idParam, responses: { 202: { description: 'cancel requested' }, ...errors(401, 404, 409) } } },
      '/jobs/cancel': { post: { parameters: [idempotencyKeyParam], summary: 'Cancel up to 1000 jobs', requestBody: json({ type: 'object', required: ['jobs'], properties: { jobs: { type: 'array', maxItems: 1000, items: { type: 'string' } } } }), responses: { 202: { description: 'result per job' }, ...errors(400, 401, 422, 429) } } },
      '/outputs/{key}': { get: { summary: 'An output file (video, poster, thumbnail sprite or index), through its signed URL (no token needed)', security: [], parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }, { name: 'sig', in: 'query', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'video/mp4, image/jpeg or text/vtt' }, 206: { description: 'partial content' }, ...errors(404) } } },
      '/uploads': { post: { parameters: [idempotencyKeyParam], summary: 'Announce a source upload (video/*, image/*, audio/*); PUT its bytes to uploadUrl, then use src (upload://<id>) as a clip or media asset until expiresAt', requestBody: json({ $ref: '#/components/schemas/CreateUpload' }), responses: { 201: { description: 'created', ...json({ $ref: '#/components/schemas/UploadCreated' }) }, ...errors(400, 401, 413, 422, 429) } } },
      '/uploads/{id}/content': { put: {
        summary: 'The bytes of an upload, through its signed uploadUrl (no token): exactly the declared size, once',
        security: [], parameters: [...idParam, { name: 'sig', in: 'query', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
        responses: { 200: { description: 'received', ...json({ type: 'object', properties: { id: { type: 'string' }, src: { type: 'string' }, size: { type: 'integer' } } }) }, ...errors(400, 403, 404, 409, 410, 413) },
      } },
      '/health': { get: { summary: 'Database, broker and consumer health', security: [], responses: { 200: { description: 'healthy' }, 503: { description: 'unhealthy' } } } },
    },
  } as unknown as OpenAPIObject;
}

export function serveOpenApi(app: INestApplication, maxAssets: number): void {
  const document = openApiDocument(maxAssets);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
}
