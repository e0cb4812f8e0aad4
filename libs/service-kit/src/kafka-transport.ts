import type { KafkaOptions } from '@nestjs/microservices';
import { GROUP_TIMING, kafkaClientConfig, PRODUCER_PARTITIONER, type KafkaConnection } from '@vrs/messaging';

export interface KafkaTransportSettings {
  connection: KafkaConnection;
  clientId: string;
  groupId: string;
}

/**
 * Options of Nest's Kafka transport for a service's consumer: manual offset commits, binary values
 * (the inbox parses them), one partition's batch at a time (the inbox's pool takes each record as soon
 * as it has a slot, so parallelism is the service's consumer capacity, not the partitions), and `postfixId: ''` so the group committing offsets is exactly `groupId`
 * (Nest appends `-server` to both client and group id otherwise, and KEDA would read the wrong group).
 */
export function kafkaTransportOptions(settings: KafkaTransportSettings): NonNullable<KafkaOptions['options']> {
  return {
    client: kafkaClientConfig({ ...settings.connection, clientId: settings.clientId }),
    consumer: { groupId: settings.groupId, ...GROUP_TIMING, allowAutoTopicCreation: false },
    producer: PRODUCER_PARTITIONER,
    run: { autoCommit: false },
    subscribe: { fromBeginning: true },
    parser: { keepBinary: true },
    postfixId: '',
  };
}
