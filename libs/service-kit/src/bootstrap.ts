import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import type { Consumer, Kafka } from 'kafkajs';
import { GROUP_TIMING, kafkaClientConfig, PRODUCER_PARTITIONER, watchConsumerLag } from '@vrs/messaging';
import { rootLog, startProcessMetrics } from '@vrs/observability';
import { DataSource } from 'typeorm';
import type { BaseConfig } from './config';
import { runMigrations } from './database';
import { HealthState } from './health';

export interface ServiceDefinition {
  /** Service name, used in logs and as Kafka client id. */
  name: string;
  module: Type<unknown>;
  httpPort: number;
  /** The service's validated settings (broker list, shutdown timeout, …). */
  config: BaseConfig;
  /** Interface to listen on; 0.0.0.0 in containers. */
  host?: string;
  /** False when the service installs its own body parser (the gateway, for its error shapes). */
  bodyParser?: boolean;
  /** The consumer group; omit for a service that consumes nothing. */
  consumerGroup?: string;
  /** Partitions handled at once by this instance. */
  partitionsConsumedConcurrently?: number;
  configure?: (app: INestApplication) => void | Promise<void>;
}

/**
 * Runs a service's start-up and, if it fails (bad configuration, unreachable database), exits with
 * one JSON line on stderr that says why.
 */
export function runService(name: string, start: () => Promise<unknown>): void {
  start().catch((error: Error) => {
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', service: name, msg: error.message })}\n`);
    process.exit(1);
  });
}

/**
 * Starts one service: database migrations (under a lock), HTTP (health, metrics and any controllers), the Kafka consumer through Nest's Kafka
 * transport with manual offset commits, JSON logs, and graceful shutdown on SIGTERM/SIGINT.
 */
export async function bootstrapService(service: ServiceDefinition): Promise<INestApplication> {
  process.env.SERVICE_NAME = service.name;
  const log = rootLog(service.name);
  startProcessMetrics(service.name);
  const app = await NestFactory.create(service.module, { logger: log, bufferLogs: true, bodyParser: service.bodyParser ?? true });
  await service.configure?.(app);
  await runMigrations(app.get(DataSource));
  const health = app.get(HealthState);
  health.consumerExpected = Boolean(service.consumerGroup);

  if (service.consumerGroup) {
    const microservice = app.connectMicroservice<MicroserviceOptions>({
      transport: Transport.KAFKA,
      options: {
        client: kafkaClientConfig({ brokers: service.config.KAFKA_BROKERS, clientId: service.name }),
        consumer: { groupId: service.consumerGroup, ...GROUP_TIMING, allowAutoTopicCreation: false },
        producer: PRODUCER_PARTITIONER,
        run: { autoCommit: false, partitionsConsumedConcurrently: service.partitionsConsumedConcurrently ?? 1 },
        subscribe: { fromBeginning: true },
        parser: { keepBinary: true },
        postfixId: '',
      },
    });
    await app.startAllMicroservices();
    const [kafka, consumer] = microservice.unwrap<[Kafka, Consumer]>();
    health.kafka = kafka;
    health.consumerJoined = true; // consumer.run() resolves only after the group join
    health.watch(consumer);
    watchConsumerLag((use) => health.withBrokerAdmin(kafka, use), service.consumerGroup);
  } else {
    const { Kafka } = await import('kafkajs');
    health.kafka = new Kafka(kafkaClientConfig({ brokers: service.config.KAFKA_BROKERS, clientId: service.name }));
  }

  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.write('info', `${signal} received; shutting down`);
      setTimeout(() => process.exit(1), service.config.SHUTDOWN_TIMEOUT_MS).unref();
    });
  }
  await app.listen(service.httpPort, service.host ?? process.env.HOST ?? '127.0.0.1');
  log.write('info', 'service started', { port: service.httpPort, consumerGroup: service.consumerGroup });
  return app;
}
