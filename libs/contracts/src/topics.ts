/**
 * Every Kafka topic of the platform. Other systems may write `join.requested` and read `job.status-changed`
 * (docs/kafka-producers.md); every other topic is internal to the platform.
 */
export const TOPICS = {
  joinRequested: 'join.requested',
  renderRequested: 'render.requested',
  childFinished: 'child.finished',
  childFailed: 'child.failed',
  stitchRequested: 'stitch.requested',
  stitchProgress: 'stitch.progress',
  stitchCompleted: 'stitch.completed',
  stitchFailed: 'stitch.failed',
  renderProgress: 'render.progress',
  renderJobRequested: 'render-job.requested',
  templateChanged: 'template.changed',
  jobStatusChanged: 'job.status-changed',
  jobWebhookRequested: 'job.webhook-requested',
  tenantChanged: 'tenant.changed',
  jobCancelRequested: 'job.cancel-requested',
  webhookAttempted: 'webhook.attempted',
  webhookRedeliverRequested: 'webhook.redeliver-requested',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** Where messages that cannot be parsed, validated or handled go, with the reason in headers. */
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

/** Enough partitions for several instances of each service in one consumer group. */
export const DEFAULT_PARTITIONS = 6;

export const ALL_TOPICS: string[] = Object.values(TOPICS).flatMap((topic) => [topic, deadLetterTopic(topic)]);
