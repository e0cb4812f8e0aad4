import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { bootstrapService, runMigrations } from '@vrs/service-kit';
import { loadOrchestratorConfig } from './config';
import { ORCHESTRATOR_GROUP, orchestratorModule } from './app.module';

async function main() {
  const config = loadOrchestratorConfig();
  await bootstrapService({
    name: 'job-orchestrator',
    module: orchestratorModule(config),
    httpPort: config.HEALTH_PORT,
    brokers: config.KAFKA_BROKERS,
    consumerGroup: ORCHESTRATOR_GROUP,
    partitionsConsumedConcurrently: config.CONSUMER_CONCURRENCY,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    configure: (app) => runMigrations(app.get(DataSource)),
  });
}

main().catch((error) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', service: 'job-orchestrator', msg: error.message })}\n`);
  process.exit(1);
});
