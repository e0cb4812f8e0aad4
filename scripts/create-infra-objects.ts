import { ALL_TOPICS, DEFAULT_PARTITIONS } from '@vrs/contracts';
import { createKafka, ensureTopics, kafkaConnectionFromEnv } from '@vrs/messaging';
import { dropDatabase, ensureDatabase } from '@vrs/service-kit';

const SERVICE_DATABASES = ['vrs_gateway', 'vrs_orchestrator', 'vrs_render', 'vrs_stitcher', 'vrs_notifier'];

/**
 * Creates the services' databases and the platform's topics that do not exist yet. `--fresh-databases`
 * (the local deployment, when its broker is new) drops the services' databases first.
 */
async function main() {
  // Read first: a bad Kafka setting stops the script before it touches the databases.
  const kafka = kafkaConnectionFromEnv();
  const replication = Number(process.env.KAFKA_TOPIC_REPLICATION_FACTOR ?? '1');
  if (!Number.isInteger(replication) || replication < 1) throw new Error('KAFKA_TOPIC_REPLICATION_FACTOR: must be a whole number of at least 1');
  const server = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
  if (process.argv.includes('--fresh-databases')) for (const name of SERVICE_DATABASES) await dropDatabase(`${server}/${name}`);
  for (const name of SERVICE_DATABASES) await ensureDatabase(`${server}/${name}`);
  const created = await ensureTopics(createKafka({ ...kafka, clientId: 'create-infra-objects' }), DEFAULT_PARTITIONS, ALL_TOPICS, replication);
  process.stdout.write(`databases ready; topics created: ${created.length ? created.join(', ') : 'none (all exist)'}\n`);
}

main().catch((error) => {
  process.stderr.write(`create-infra-objects failed: ${error.message}\n`);
  process.exit(1);
});
