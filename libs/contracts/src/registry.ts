import { z } from 'zod';
import { TOPICS } from './topics';
import { joinRequested } from './events/join-requested';
import { stitchCompleted, stitchFailed, stitchProgress, stitchRequested } from './events/stitch';
import { jobCancelRequested, jobStatusChanged, jobWebhookRequested } from './events/job';
import { tenantChanged } from './events/tenant';
import { renderRequested } from './events/render';
import { childFailed, childFinished, renderJobRequested, renderProgress, templateChanged } from './events/rendering';
import { webhookAttempted, webhookRedeliverRequested } from './events/webhook';

/** The schema of each topic's messages: validated by producers before sending and by consumers on receipt. */
export const TOPIC_SCHEMAS = {
  [TOPICS.joinRequested]: joinRequested,
  [TOPICS.stitchRequested]: stitchRequested,
  [TOPICS.stitchProgress]: stitchProgress,
  [TOPICS.stitchCompleted]: stitchCompleted,
  [TOPICS.stitchFailed]: stitchFailed,
  [TOPICS.jobStatusChanged]: jobStatusChanged,
  [TOPICS.jobWebhookRequested]: jobWebhookRequested,
  [TOPICS.tenantChanged]: tenantChanged,
  [TOPICS.jobCancelRequested]: jobCancelRequested,
  [TOPICS.renderRequested]: renderRequested,
  [TOPICS.renderJobRequested]: renderJobRequested,
  [TOPICS.renderProgress]: renderProgress,
  [TOPICS.childFinished]: childFinished,
  [TOPICS.childFailed]: childFailed,
  [TOPICS.templateChanged]: templateChanged,
  [TOPICS.webhookAttempted]: webhookAttempted,
  [TOPICS.webhookRedeliverRequested]: webhookRedeliverRequested,
} as const;

export type SchemaTopic = keyof typeof TOPIC_SCHEMAS;
export type EventOf<T extends SchemaTopic> = z.infer<(typeof TOPIC_SCHEMAS)[T]>;

/** Human-readable issues: `assets[2].src: must be an http(s) URL`. */
export interface FieldIssue { field: string; message: string }

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, part) =>
    typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part), '');
}

export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ field: formatPath(issue.path) || '(body)', message: issue.message }));
}

export type Validation<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

export function validateEvent<T extends SchemaTopic>(topic: T, value: unknown): Validation<EventOf<T>> {
  const result = TOPIC_SCHEMAS[topic].safeParse(value);
  return result.success ? { ok: true, value: result.data as EventOf<T> } : { ok: false, issues: toFieldIssues(result.error) };
}

export function isSchemaTopic(topic: string): topic is SchemaTopic {
  return Object.prototype.hasOwnProperty.call(TOPIC_SCHEMAS, topic);
}
