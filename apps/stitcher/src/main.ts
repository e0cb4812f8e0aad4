import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { bootstrapService, runMigrations } from '@vrs/service-kit';
import { loadStitcherConfig } from './config';
import { STITCHER_GROUP, stitcherModule } from './app.module';

async function main() {
  const config = loadStitcherConfig();
  await bootstrapService({
    name: 'stitcher',
    module: stitcherModule(config),
    httpPort: config.HEALTH_PORT,
    brokers: config.KAFKA_BROKERS,
    consumerGroup: STITCHER_GROUP,
    partitionsConsumedConcurrently: config.STITCH_CONCURRENCY,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    configure: (app) => runMigrations(app.get(DataSource)),
  });
}

main().catch((error) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', service: 'stitcher', msg: error.message })}\n`);
  process.exit(1);
});
