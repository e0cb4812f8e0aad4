import 'reflect-metadata';
import { bootstrapService, runService } from '@vrs/service-kit';
import { GATEWAY_GROUP, gatewayModule } from './app.module';
import { JOB_STATUS_FEED_GROUP } from './commands/project-job-status/job-status-feed';
import { loadGatewayConfig } from './config';
import { serveDashboard } from './http/dashboard';
import { setUpHttp } from './http/http-setup';
import { serveOpenApi } from './http/openapi';

runService('gateway', async () => {
  const config = loadGatewayConfig();
  await bootstrapService({
    name: 'gateway',
    module: gatewayModule(config),
    config,
    httpPort: config.PORT,
    host: config.HOST,
    consumerGroup: GATEWAY_GROUP,
    sideGroups: [JOB_STATUS_FEED_GROUP],
    bodyParser: false,
    configure: (app) => {
      setUpHttp(app, config.BODY_LIMIT_BYTES, config.TRUST_PROXY);
      serveOpenApi(app, config.MAX_JOIN_ASSETS);
      serveDashboard(app, config.DASHBOARD_DIR, [new URL(config.publicBaseUrl).origin]);
    },
  });
});
