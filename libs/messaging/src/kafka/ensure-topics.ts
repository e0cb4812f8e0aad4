import type { Kafka } from 'kafkajs';
import { ALL_TOPICS, DEFAULT_PARTITIONS } from '@vrs/contracts';

/** Creates the platform's topics (and their dead-letter topics) that do not exist yet. */
export async function ensureTopics(kafka: Kafka, partitions = DEFAULT_PARTITIONS, topics = ALL_TOPICS): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
      });
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}
