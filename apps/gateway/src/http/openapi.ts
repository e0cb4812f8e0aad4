import type { INestApplication } from '@nestjs/common';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';
import {
  acceptedJob,
  batchCreated,
  batchList,
  batchView,
  BULK_LIMITS,
  cancelJobsBody,
  cancelRequested,
  cancelResults,
  createBatchBody,
  createTenantBody,
  createUploadBody,
  errorBody,
  IDEMPOTENCY_KEY_HEADER,
  idempotencyKey,
  jobList,
  jobView,
  joinJobBody,
  listBatchesQuery,
  listJobsQuery,
  listTemplatesQuery,
  redeliverRequested,
  renderJobBody,
  templateList,
  templateView,
  tenantCreated,
  uploadCreated,
  uploadReceived,
  webhookDeliveries,
} from '@vrs/contracts';
import { templateSchema } from '@vrs/render';

/** The JSON Schema of a zod schema: requests as the caller sends them, answers as the gateway writes them. */
const toSchema = (schema: z.ZodType, io: 'input' | 'output' = 'input') => z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as any;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const answer = (description: string, schema: string) => ({ description, ...json(ref(schema)) });

/** What each error status means on this API; every one has the `Error` body. */
const ERRORS: Record<number, string> = {
  400: 'Invalid input: `details` names each bad field (or query parameter)',
  401: 'No valid API token (`Authorization: Bearer <token>`)',
  403: 'The URL signature does not match',
  404: "Not found (another tenant's ids answer the same)",
  409: 'Conflicts with the current state (see `error`)',
  410: 'Expired',
  413: 'The body is larger than this route accepts',
  416: 'The requested range is outside the file',
  422: `The ${IDEMPOTENCY_KEY_HEADER} was used before with another request`,
  429: 'Too many requests for the tenant, or too many failed authentications from this address; see Retry-After',
};
const errors = (...codes: number[]) => Object.fromEntries(codes.map((code) => [code, answer(ERRORS[code], 'Error')]));

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const sigParam = { name: 'sig', in: 'query', required: true, schema: { type: 'string' } };
/** The query parameters of a zod query schema, each with its own JSON Schema. */
const queryParams = (schema: z.ZodObject) =>
  Object.entries(toSchema(schema).properties as Record<string, object>).map(([name, property]) => ({ name, in: 'query', required: false, schema: property }));
/** The header every creating POST honours (see docs/api.md); a new creating route lists it too. */
const idempotencyKeyParam = {
  name: IDEMPOTENCY_KEY_HEADER,
  in: 'header',
  required: false,
  schema: toSchema(idempotencyKey),
  description: idempotencyKey.description,
};

/** A route behind the tenant token: it may answer 401, and 429 (rate limit, failed authentications). */
const tenantRoute = (operation: { responses: object } & Record<string, unknown>) => ({
  ...operation,
  responses: { ...operation.responses, ...errors(401, 429) },
});
/** A tenant route with a JSON body: 400 for a bad one, 413 for one over BODY_LIMIT_BYTES. */
const withBody = (schema: string, operation: { responses: object } & Record<string, unknown>) =>
  tenantRoute({ ...operation, requestBody: { required: true, ...json(ref(schema)) }, responses: { ...operation.responses, ...errors(400, 413) } });
/** A creating POST: it takes an Idempotency-Key, and a reused key with another body is a 422. */
const creating = (schema: string, operation: { responses: object } & Record<string, unknown>) =>
  withBody(schema, { ...operation, parameters: [idempotencyKeyParam], responses: { ...operation.responses, ...errors(422) } });

/** Components generated from the zod schemas that validate requests and type the answers. */
function componentSchemas(maxAssets: number) {
  const batch = toSchema(createBatchBody);
  batch.properties.jobs.items = { anyOf: [ref('JoinJob'), ref('RenderJob')] };
  return {
    Error: toSchema(errorBody, 'output'),
    JoinJob: toSchema(joinJobBody(maxAssets)),
    RenderJob: toSchema(renderJobBody),
    CreateBatch: batch,
    CancelJobs: toSchema(cancelJobsBody),
    Template: toSchema(templateSchema),
    CreateUpload: toSchema(createUploadBody),
    CreateTenant: toSchema(createTenantBody),
    Job: toSchema(jobView, 'output'),
    JobList: toSchema(jobList, 'output'),
    AcceptedJob: toSchema(acceptedJob, 'output'),
    BatchCreated: toSchema(batchCreated, 'output'),
    Batch: toSchema(batchView, 'output'),
    BatchList: toSchema(batchList, 'output'),
    CancelRequested: toSchema(cancelRequested, 'output'),
    CancelResults: toSchema(cancelResults, 'output'),
    TemplateView: toSchema(templateView, 'output'),
    TemplateList: toSchema(templateList, 'output'),
    WebhookDeliveries: toSchema(webhookDeliveries, 'output'),
    RedeliverRequested: toSchema(redeliverRequested, 'output'),
    UploadCreated: toSchema(uploadCreated, 'output'),
    UploadReceived: toSchema(uploadReceived, 'output'),
    TenantCreated: toSchema(tenantCreated, 'output'),
  };
}

/** The public contract as OpenAPI 3.1, built from the same zod schemas that validate requests and type answers. */
export function openApiDocument(maxAssets: number): OpenAPIObject {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Video render-and-stitch API',
      version: '1.0.0',
      description:
        'Every route but /health, /docs and the signed URLs needs `Authorization: Bearer <api token>`. Errors are `{ error, details? }`; ' +
        'every response carries `X-Request-Id`. Failed authentications are limited per client address: past the limit every route answers `429` ' +
        'with `Retry-After`. Creating POSTs take an optional `Idempotency-Key` header.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: componentSchemas(maxAssets) },
    security: [{ bearer: [] }],
    paths: {
      '/admin/tenants': {
        post: withBody('CreateTenant', {
          summary:
            "Create a tenant: operators send the gateway's ADMIN_TOKEN as the bearer token (401 without one); the tenant's API token and webhook secret are shown only here",
          responses: { 201: answer('created', 'TenantCreated') },
        }),
      },
      '/jobs/join': {
        post: creating('JoinJob', {
          summary: 'Create a join job (concatenate clips into one MP4; job assets render first)',
          responses: { 201: answer('created', 'AcceptedJob') },
        }),
      },
      '/jobs': {
        post: creating('RenderJob', { summary: 'Create a render job from a template', responses: { 201: answer('created', 'AcceptedJob') } }),
        get: tenantRoute({
          summary: "List the tenant's jobs",
          parameters: queryParams(listJobsQuery),
          responses: { 200: answer('jobs', 'JobList'), ...errors(400) },
        }),
      },
      '/jobs/{id}': {
        get: tenantRoute({
          summary: "A job (404 for unknown ids and other tenants' jobs)",
          parameters: [idParam],
          responses: { 200: answer('job', 'Job'), ...errors(404) },
        }),
      },
      '/jobs/{id}/logs': {
        get: tenantRoute({
          summary: "Plain-text log of the job's steps",
          parameters: [idParam],
          responses: { 200: { description: 'log', content: { 'text/plain': { schema: { type: 'string' } } } }, ...errors(404) },
        }),
      },
      '/jobs/{id}/cancel': {
        patch: tenantRoute({
          summary: 'Cancel a queued, pending or rendering job',
          parameters: [idParam],
          responses: { 202: answer('cancel requested', 'CancelRequested'), ...errors(404, 409) },
        }),
      },
      '/jobs/cancel': {
        post: creating('CancelJobs', { summary: `Cancel up to ${BULK_LIMITS.cancelJobs} jobs`, responses: { 202: answer('result per job', 'CancelResults') } }),
      },
      '/jobs/{id}/webhooks': {
        get: tenantRoute({
          summary: "The job's webhook delivery log (attempts, status codes, timings)",
          parameters: [idParam],
          responses: { 200: answer('deliveries', 'WebhookDeliveries'), ...errors(404) },
        }),
      },
      '/jobs/{id}/webhooks/redeliver': {
        post: tenantRoute({
          summary: "Deliver the job's webhook again (same X-Webhook-Id)",
          parameters: [idParam],
          responses: { 202: answer('redelivery requested', 'RedeliverRequested'), ...errors(404, 409) },
        }),
      },
      '/batches': {
        post: creating('CreateBatch', {
          summary: `Create up to ${BULK_LIMITS.batchJobs} jobs (render or join); valid entries are created even when others are invalid`,
          responses: { 201: answer('created', 'BatchCreated') },
        }),
        get: tenantRoute({
          summary: "List the tenant's batches, newest first",
          parameters: queryParams(listBatchesQuery),
          responses: { 200: answer('batches', 'BatchList'), ...errors(400) },
        }),
      },
      '/batches/{id}': {
        get: tenantRoute({ summary: "A batch's progress", parameters: [idParam], responses: { 200: answer('batch', 'Batch'), ...errors(404) } }),
      },
      '/templates': {
        post: creating('Template', {
          summary: 'Create a template (validated; unknown fonts, bad colours, layers outside the frame are 400s)',
          responses: { 201: answer('created', 'TemplateView') },
        }),
        get: tenantRoute({
          summary: "List the tenant's templates",
          parameters: queryParams(listTemplatesQuery),
          responses: { 200: answer('templates', 'TemplateList'), ...errors(400) },
        }),
      },
      '/templates/{id}': {
        get: tenantRoute({ summary: 'A template', parameters: [idParam], responses: { 200: answer('template', 'TemplateView'), ...errors(404) } }),
        delete: tenantRoute({ summary: 'Delete a template', parameters: [idParam], responses: { 204: { description: 'deleted' }, ...errors(404) } }),
      },
      '/uploads': {
        post: creating('CreateUpload', {
          summary:
            'Announce a source upload (video/*, image/*, audio/*); PUT its bytes to uploadUrl, then use src (upload://<id>) as a clip or media asset until expiresAt',
          responses: { 201: answer('created', 'UploadCreated') },
        }),
      },
      '/uploads/{id}/content': {
        put: {
          summary: 'The bytes of an upload, through its signed uploadUrl (no token): exactly the declared size, once',
          security: [],
          parameters: [idParam, sigParam],
          requestBody: { required: true, content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
          responses: { 200: answer('received', 'UploadReceived'), ...errors(400, 403, 404, 409, 410, 413) },
        },
      },
      '/outputs/{key}': {
        get: {
          summary: 'An output file (video, poster, thumbnail sprite or index), through its signed URL (no token needed); Range requests for players',
          security: [],
          parameters: [
            { name: 'key', in: 'path', required: true, schema: { type: 'string' } },
            sigParam,
            { name: 'Range', in: 'header', required: false, schema: { type: 'string' } },
          ],
          responses: { 200: { description: 'video/mp4, image/jpeg or text/vtt' }, 206: { description: 'partial content' }, ...errors(404, 416) },
        },
      },
      '/health': {
        get: {
          summary: 'Database, broker and consumer health',
          security: [],
          responses: { 200: { description: 'healthy' }, 503: { description: 'unhealthy' } },
        },
      },
    },
  } as unknown as OpenAPIObject;
}

export function serveOpenApi(app: INestApplication, maxAssets: number): void {
  const document = openApiDocument(maxAssets);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
}
