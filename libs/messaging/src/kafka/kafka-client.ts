import { Kafka, logLevel, Partitioners, type KafkaConfig, type Producer, type SASLOptions } from 'kafkajs';
import { DEFAULT_PARTITIONS } from '@vrs/contracts';
import { logger } from '@vrs/observability';
import type { KafkaConnection } from './kafka-connection';

/** A connection (brokers, TLS, SASL) and the name this client shows the broker. */
export interface BrokerConfig extends KafkaConnection {
  clientId: string;
}

const KAFKAJS_LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
  [logLevel.NOTHING]: 'debug',
};

/** Broker answers that are part of a normal rebalance or failover; kafkajs retries them itself. */
const ROUTINE_BROKER_ANSWERS = /group is rebalancing|not the correct coordinator|coordinator is loading|coordinator is not available/i;

/** kafkajs logs through our JSON logger instead of its own console format; routine answers are warnings, not errors. */
export const kafkaLogCreator =
  () =>
  ({ namespace, level, log }: { namespace: string; level: number; log: any }) => {
    const { message, ...fields } = log;
    const kafkaLog = logger(`kafkajs.${namespace}`);
    const routine = level === logLevel.ERROR && ROUTINE_BROKER_ANSWERS.test(String(fields.error ?? ''));
    kafkaLog[routine ? 'warn' : (KAFKAJS_LEVELS[level] ?? 'info')](message, fields);
  };

/**
 * The kafkajs settings of every client of ours (the services' consumers through Nest's transport,
 * producers, admin clients, the scripts). A TLS handshake to a managed cluster in another zone can
 * take longer than kafkajs' 1 s connect limit, hence 10 s with TLS.
 */
export function kafkaClientConfig(config: BrokerConfig): KafkaConfig {
  return {
    clientId: config.clientId,
    brokers: config.brokers,
    ...(config.ssl && { ssl: config.ssl, connectionTimeout: 10_000 }),
    ...(config.sasl && { sasl: config.sasl as SASLOptions }),
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator,
    retry: { initialRetryTime: 200, retries: 8 },
  };
}

/**
 * Consumer-group timing for every service consumer. After a broker restart the group still lists
 * the members that were in it; a consumer that crashed and rejoined under a new member id waits
 * for the old one's session to expire before the group settles, so the session is kept short
 * (10 s; Kafka's floor is 6 s). Long handlers heartbeat every 3 s (MessageProcessor), so a busy
 * member is never mistaken for a dead one.
 */
export const GROUP_TIMING = { sessionTimeout: 10_000, heartbeatInterval: 3_000 } as const;

export function createKafka(config: BrokerConfig): Kafka {
  return new Kafka(kafkaClientConfig(config));
}

/**
 * kafkajs' default partitioner (murmur2, as the Java client), named so kafkajs does not warn on
 * every start that its default changed in v2; every producer of ours uses it, so keys map alike.
 */
export const PRODUCER_PARTITIONER = { createPartitioner: Partitioners.DefaultPartitioner };

/**
 * The partition our producers write `key` to on a topic of `partitions` partitions (murmur2 of the key,
 * as the Java client). Tests and benchmarks use it to put messages on one partition on purpose.
 */
export function partitionOfKey(key: string, partitions = DEFAULT_PARTITIONS): number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
    partitionErrorCode: 0,
  }));
  return PRODUCER_PARTITIONER.createPartitioner()({ topic: 'any', partitionMetadata, message: { key, value: null } });
}

/** Idempotent producer: a retried send never writes a message twice, and order per partition holds. */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, ...PRODUCER_PARTITIONER });
}
