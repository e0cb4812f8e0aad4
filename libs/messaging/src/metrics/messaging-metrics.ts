import { counter, SampledGauge } from '@vrs/observability';

/** Why a message went to its dead-letter topic: a small fixed set, so it can be a label. */
export type DeadLetterCause = 'unknown_topic' | 'invalid_json' | 'schema_mismatch' | 'permanent_failure' | 'retries_exhausted';

export const deadLetteredMessages = counter({
  name: 'vrs_dead_lettered_messages_total',
  help: 'Messages this consumer moved to a dead-letter topic, by source topic and cause.',
  labelNames: ['topic', 'reason'] as const,
});

export const inboxDuplicatesSkipped = counter({
  name: 'vrs_inbox_duplicates_skipped_total',
  help: 'Redelivered events the inbox recognised as already handled and skipped, by topic.',
  labelNames: ['topic'] as const,
});

export const outboxPendingMessages = new SampledGauge({
  name: 'vrs_outbox_pending_messages',
  help: 'Events committed to the outbox table and not yet published to Kafka.',
});

export const outboxOldestMessageAge = new SampledGauge({
  name: 'vrs_outbox_oldest_message_age_seconds',
  help: 'Age of the oldest unpublished outbox event (0 when the outbox is empty).',
});

export const consumerLag = new SampledGauge({
  name: 'vrs_consumer_lag_messages',
  help: 'Messages on the topic not yet committed by the consumer group (summed over partitions).',
  labelNames: ['group', 'topic'] as const,
});
