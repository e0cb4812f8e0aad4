export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

import type { KafkaConnection } from '../kafka/kafka-connection';

export interface MessagingOptions {
  /** Brokers, TLS and SASL (libs/messaging's parser of the KAFKA_* settings). */
  kafka: KafkaConnection;
  clientId: string;
  /** The service's consumer group (also the inbox's consumer name). */
  consumerGroup: string;
  /** Messages this instance handles at once, from any of its partitions (default 1; see ConsumerPool). */
  consumerCapacity?: number;
  /** How long a worker keeps the record of a cancel (`cancelled_jobs`): longer than a request for the job can still arrive. */
  cancelledJobsTtlHours?: number;
  /** Advisory lock number of the service's outbox relay. */
  outboxLockKey: number;
  retry?: import('../consumer/message-processor').RetryPolicy;
}
