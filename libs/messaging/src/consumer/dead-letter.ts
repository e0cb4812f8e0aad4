import type { Producer } from 'kafkajs';
import { deadLetterTopic } from '@vrs/contracts';
import { logger } from '@vrs/observability';
import { deadLetteredMessages, type DeadLetterCause } from '../metrics/messaging-metrics';
import type { IncomingMessage } from './incoming-message';

export const DLQ_HEADERS = {
  reason: 'x-dlq-reason',
  sourceTopic: 'x-dlq-source-topic',
  sourcePartition: 'x-dlq-source-partition',
  sourceOffset: 'x-dlq-source-offset',
  consumer: 'x-dlq-consumer',
  failedAt: 'x-dlq-failed-at',
} as const;

/** A message that cannot be handled: why, in words (a header) and as a class (a metric label). */
export interface DeadLetterReason {
  cause: DeadLetterCause;
  reason: string;
}

/** Moves a message that cannot be handled to `<topic>.dlq`, unchanged, with the reason in headers. */
export async function sendToDeadLetter(
  producer: Producer,
  consumer: string,
  message: Omit<IncomingMessage, 'timestamp'>,
  { cause, reason }: DeadLetterReason,
): Promise<void> {
  logger('dead-letter').warn('message sent to the dead-letter topic', {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    cause,
    reason,
  });
  await producer.send({
    topic: deadLetterTopic(message.topic),
    acks: -1,
    messages: [
      {
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          [DLQ_HEADERS.reason]: reason.slice(0, 4000),
          [DLQ_HEADERS.sourceTopic]: message.topic,
          [DLQ_HEADERS.sourcePartition]: String(message.partition),
          [DLQ_HEADERS.sourceOffset]: message.offset,
          [DLQ_HEADERS.consumer]: consumer,
          [DLQ_HEADERS.failedAt]: new Date().toISOString(),
        },
      },
    ],
  });
  deadLetteredMessages.inc({ topic: message.topic, reason: cause });
}
