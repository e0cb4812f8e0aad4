import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { bootstrapService, runMigrations } from '@vrs/service-kit';
import { loadNotifierConfig } from './config';
import { NOTIFIER_GROUP, notifierModule } from './app.module';

async function main() {
  const config = loadNotifierConfig();
  await bootstrapService({
    name: 'notifier',
    module: notifierModule(config),
    httpPort: config.HEALTH_PORT,
    brokers: config.KAFKA_BROKERS,
    consumerGroup: NOTIFIER_GROUP,
    partitionsConsumedConcurrently: 3,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    configure: (app) => runMigrations(app.get(DataSource)),
  });
}

main().catch((error) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', service: 'notifier', msg: error.message })}\n`);
  process.exit(1);
});
