import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { bootstrapService, runMigrations } from '@vrs/service-kit';
import { loadGatewayConfig } from './config';
import { GATEWAY_GROUP, gatewayModule } from './app.module';
import { setUpHttp } from './http/http-setup';
import { serveOpenApi } from './http/openapi';

async function main() {
  const config = loadGatewayConfig();
  await bootstrapService({
    name: 'gateway',
    module: gatewayModule(config),
    httpPort: config.PORT,
    host: config.HOST,
    brokers: config.KAFKA_BROKERS,
    consumerGroup: GATEWAY_GROUP,
    partitionsConsumedConcurrently: 3,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    bodyParser: false,
    configure: async (app) => {
      setUpHttp(app, config.BODY_LIMIT_BYTES);
      serveOpenApi(app, config.MAX_JOIN_ASSETS);
      await runMigrations(app.get(DataSource));
    },
  });
}

main().catch((error) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', service: 'gateway', msg: error.message })}\n`);
  process.exit(1);
});
