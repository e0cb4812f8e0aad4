import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import type { Consumer, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { describeKafkaConnection, kafkaClientConfig, onConsumerDeath, reportConsumerDeath, watchConsumerLag } from '@vrs/messaging';
import { rootLog, startProcessMetrics } from '@vrs/observability';
import type { BaseConfig } from './config';
import { runMigrations } from './database';
import { HealthState } from './health';
import { kafkaTransportOptions } from './kafka-transport';

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
  /** Groups of side consumers whose lag the metrics show beside the main group's. */
  sideGroups?: string[];
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
  const stop = drainOnSignals(app, health, service.config, log);
  // kafkajs does not restart a consumer after some errors (e.g. "Failed to find group coordinator"
  // while the broker restarts): the instance would stay up doing nothing, so it ends and its
  // supervisor (scripts/supervise.sh, Docker's restart policy, Kubernetes) starts a fresh one.
  onConsumerDeath((reason) => {
    log.write('error', 'a Kafka consumer stopped for good; ending this instance so that a fresh one starts', { reason, exitCode: EXIT_RESTART_ME });
    void stop('consumer stopped', EXIT_RESTART_ME);
  });

  if (service.consumerGroup) {
    const microservice = app.connectMicroservice<MicroserviceOptions>({
      transport: Transport.KAFKA,
      options: kafkaTransportOptions({
        connection: service.config.kafka,
        clientId: service.name,
        groupId: service.consumerGroup,
      }),
    });
    await app.startAllMicroservices();
    const [kafka, consumer] = microservice.unwrap<[Kafka, Consumer]>();
    health.kafka = kafka;
    health.consumerJoined = true; // consumer.run() resolves only after the group join
    health.watch(consumer);
    reportConsumerDeath(consumer, service.consumerGroup);
    watchConsumerLag((use) => health.withBrokerAdmin(kafka, use), [service.consumerGroup, ...(service.sideGroups ?? [])]);
  } else {
    const { Kafka } = await import('kafkajs');
    health.kafka = new Kafka(kafkaClientConfig({ ...service.config.kafka, clientId: service.name }));
  }

  await app.listen(service.httpPort, service.host ?? process.env.HOST ?? '127.0.0.1');
  log.write('info', 'service started', { port: service.httpPort, consumerGroup: service.consumerGroup, kafka: describeKafkaConnection(service.config.kafka) });
  return app;
}

/** The exit code that asks a supervisor for a fresh instance (EX_TEMPFAIL); scripts/supervise.sh restarts on it. */
export const EXIT_RESTART_ME = 75;

/**
 * Graceful stop on SIGTERM/SIGINT: first the instance says it is not ready (/health/ready 503, the
 * liveness probe still 200) and keeps working for SHUTDOWN_DRAIN_DELAY_MS, so traffic stops coming;
 * then Nest's shutdown (consumers stop, the outbox drains, connections close), all within
 * SHUTDOWN_TIMEOUT_MS, after which the process exits whatever is left. Returns the same stop for
 * the service's own reasons, which end with `exitCode` instead of the signal.
 */
function drainOnSignals(
  app: INestApplication,
  health: HealthState,
  config: BaseConfig,
  log: ReturnType<typeof rootLog>,
): (why: string, exitCode: number) => Promise<void> {
  const signals = ['SIGTERM', 'SIGINT'] as const;
  let stopping = false;
  const stop = async (cause: { signal: NodeJS.Signals } | { reason: string; exitCode: number }) => {
    if (stopping) return; // a second signal does not cut the drain short (the timeout still holds)
    stopping = true;
    const exitCode = 'exitCode' in cause ? cause.exitCode : 1;
    log.write('info', `${'signal' in cause ? `${cause.signal} received` : cause.reason}; draining`, { drainDelayMs: config.SHUTDOWN_DRAIN_DELAY_MS });
    setTimeout(() => process.exit(exitCode), config.SHUTDOWN_TIMEOUT_MS).unref();
    health.draining = true;
    await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_DELAY_MS));
    log.write('info', 'shutting down');
    try {
      await app.close();
    } catch (error) {
      log.write('error', 'shutdown failed', { error: (error as Error).message });
      process.exit(exitCode);
    }
    if (!('signal' in cause)) process.exit(exitCode);
    // As Nest's own shutdown hooks do: end by the signal that was received.
    for (const other of signals) process.removeListener(other, onSignal);
    process.kill(process.pid, cause.signal);
  };
  const onSignal = (signal: NodeJS.Signals) => void stop({ signal });
  for (const signal of signals) process.on(signal, onSignal);
  return (reason, exitCode) => stop({ reason, exitCode });
}
