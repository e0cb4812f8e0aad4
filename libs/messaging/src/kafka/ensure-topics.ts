import type { Kafka } from 'kafkajs';
import { ALL_TOPICS, DEFAULT_PARTITIONS } from '@vrs/contracts';

/**
 * Creates the platform's topics (and their dead-letter topics) that do not exist yet. Managed
 * clusters want 3 replicas (Confluent Cloud refuses fewer; MSK's min.insync.replicas=2 refuses
 * writes to a single copy), a local broker has one.
 */
export async function ensureTopics(kafka: Kafka, partitions = DEFAULT_PARTITIONS, topics = ALL_TOPICS, replicationFactor = 1): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })),
      });
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}
