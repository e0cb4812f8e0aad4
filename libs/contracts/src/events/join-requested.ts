import { createHash } from 'node:crypto';
import { z } from 'zod';
import { uploadSourcesInJoin } from '../uploads/upload-sources';
import { joinAsset, uploadSpec, webhookSpec } from './assets';
import { jobId, tenantId } from './common';
import { joinSettings, lastAssetTransition } from './join-settings';

/** Clips per join, for HTTP and Kafka alike; a deployment may lower it for HTTP (MAX_JOIN_ASSETS). */
export const MAX_JOIN_ASSETS = 500;

const joinJobFields = (maxAssets: number) => ({
  assets: z.array(joinAsset).min(1, 'needs at least one clip').max(maxAssets, `at most ${maxAssets} clips`),
  settings: joinSettings.optional(),
  upload: uploadSpec.optional(),
  webhook: webhookSpec.optional(),
});

/** The body of a join job, as the HTTP API and the `join.requested` topic accept it. */
export const joinJobBody = (maxAssets = MAX_JOIN_ASSETS) => z.strictObject(joinJobFields(maxAssets)).superRefine(lastAssetTransition);
export type JoinJobBody = z.infer<ReturnType<typeof joinJobBody>>;

/**
 * `join.requested` v1: published by the gateway or by any system inside the deployment.
 * `jobId` is optional for outside producers (the same id twice is one job); `eventId` too.
 */
export const joinRequested = z
  .strictObject({
    ...joinJobFields(MAX_JOIN_ASSETS),
    schemaVersion: z.literal(1),
    eventId: z.string().uuid().optional(),
    occurredAt: z.string().datetime().optional(),
    jobId: jobId.optional(),
    tenantId,
  })
  .superRefine((event, ctx) => {
    lastAssetTransition(event, ctx);
    // upload:// names a tenant's upload only at the HTTP API, which resolves it to a signed URL before publishing.
    for (const { path } of uploadSourcesInJoin(event)) {
      ctx.addIssue({ code: 'custom', path, message: 'upload:// sources are accepted only by the HTTP API (POST /jobs/join); publish an http(s) URL' });
    }
  });
export type JoinRequested = z.infer<typeof joinRequested>;

/**
 * The job id of a `join.requested` record whose producer gave none, from the record's identity
 * (topic, partition, offset and timestamp): every redelivery of the record is the same job.
 */
export const jobIdOfRecord = (recordIdentity: string): string => createHash('sha256').update(recordIdentity).digest('hex').slice(0, 32);
