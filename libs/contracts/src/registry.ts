import { z } from 'zod';
import { jobCancelRequested, jobStatusChanged, jobWebhookRequested } from './events/job';
import { joinRequested } from './events/join-requested';
import { renderRequested } from './events/render';
import { childFailed, childFinished, renderJobRequested, renderProgress, templateChanged } from './events/rendering';
import { stitchCompleted, stitchFailed, stitchProgress, stitchRequested } from './events/stitch';
import { tenantChanged } from './events/tenant';
import { webhookAttempted, webhookRedeliverRequested } from './events/webhook';
import { TOPICS } from './topics';

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

/** One problem with a caller's input, at its field (`assets[2].src`, `compositions.intro.layers[1].color`). */
export interface FieldIssue {
  field: string;
  message: string;
}

/** `['compositions', 'intro', 'layers', 2, 'color']` → `compositions.intro.layers[2].color`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '');
}

export interface FieldIssueOptions {
  /** Where the validated value sits in the caller's input (`['assets']`). */
  prefix?: PropertyKey[];
  /** One issue per unknown key, at that key, instead of one for the object (templates' rule). */
  eachUnknownKey?: boolean;
}

/** zod's issues as the caller's fields; an issue about the whole input is at `(body)`. */
export function toFieldIssues(error: z.ZodError, options: FieldIssueOptions = {}): FieldIssue[] {
  const prefix = options.prefix ?? [];
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (options.eachUnknownKey && issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: formatPath([...path, key]), message: 'is not a recognised field here' }));
    }
    return [{ field: formatPath(path) || '(body)', message: issue.message }];
  });
}

export type Validation<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

export function validateEvent<T extends SchemaTopic>(topic: T, value: unknown): Validation<EventOf<T>> {
  const result = TOPIC_SCHEMAS[topic].safeParse(value);
  return result.success ? { ok: true, value: result.data as EventOf<T> } : { ok: false, issues: toFieldIssues(result.error) };
}

export function isSchemaTopic(topic: string): topic is SchemaTopic {
  return Object.prototype.hasOwnProperty.call(TOPIC_SCHEMAS, topic);
}
