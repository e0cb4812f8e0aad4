import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { bootstrapService, runMigrations } from '@vrs/service-kit';
import { loadRenderAdapterConfig } from './config';
import { RENDER_ADAPTER_GROUP, renderAdapterModule } from './app.module';

async function main() {
  const config = loadRenderAdapterConfig();
  await bootstrapService({
    name: 'render-adapter',
    module: renderAdapterModule(config),
    httpPort: config.HEALTH_PORT,
    brokers: config.KAFKA_BROKERS,
    consumerGroup: RENDER_ADAPTER_GROUP,
    partitionsConsumedConcurrently: config.RENDER_CONCURRENCY,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    configure: (app) => runMigrations(app.get(DataSource)),
  });
}

main().catch((error) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', service: 'render-adapter', msg: error.message })}\n`);
  process.exit(1);
});
