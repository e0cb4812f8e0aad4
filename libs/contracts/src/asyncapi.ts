import { z } from 'zod';
import { TOPIC_SCHEMAS } from './registry';
import { deadLetterTopic } from './topics';

/** Topics other systems may publish to or subscribe to; the rest are internal but documented too. */
const PUBLIC_PUBLISH = ['join.requested'];
const PUBLIC_SUBSCRIBE = ['job.status-changed'];

/** Internal topics whose readers must be limited by the broker's ACLs (docs/kafka-producers.md). */
const INTERNAL_NOTES: Record<string, string> = {
  'job.webhook-requested': 'Internal only (job-orchestrator → notifier): webhook targets, sealed with the deployment key. Never let other systems read it.',
  'tenant.changed': 'Internal only (gateway → job-orchestrator): the tenants that exist, so Kafka intake refuses unknown tenant ids.',
};

const describe = (topic: string) =>
  PUBLIC_PUBLISH.includes(topic)
    ? "Public: other systems in the deployment publish join requests here (key: job id). Only producers the broker's ACLs let write it may; an unknown tenantId, or a jobId another tenant owns, is dead-lettered with the reason."
    : PUBLIC_SUBSCRIBE.includes(topic)
      ? 'Public: every job status change, in order per job (key: job id), with the signed outputUrl. It carries no webhook target and no upload credentials.'
      : (INTERNAL_NOTES[topic] ?? 'Internal to the platform.');

/** The AsyncAPI 3 document of every topic, with JSON Schemas generated from the zod contracts. */
export function asyncApiDocument(): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const [topic, schema] of Object.entries(TOPIC_SCHEMAS)) {
    const name = topic.replace(/[^A-Za-z0-9]/g, '_');
    messages[name] = {
      name: topic,
      contentType: 'application/json',
      payload: z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }),
    };
    channels[name] = {
      address: topic,
      description: `${describe(topic)} Messages that fail validation go to ${deadLetterTopic(topic)} with the reason in the x-dlq-reason header.`,
      messages: { [name]: { $ref: `#/components/messages/${name}` } },
    };
    operations[`${PUBLIC_PUBLISH.includes(topic) ? 'publish' : 'receive'}_${name}`] = {
      action: PUBLIC_PUBLISH.includes(topic) ? 'send' : 'receive',
      channel: { $ref: `#/channels/${name}` },
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'vrs events',
      version: '1.0.0',
      description: 'Kafka topics of the video render-and-stitch platform. Message values are JSON; every schema carries schemaVersion.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  };
}
