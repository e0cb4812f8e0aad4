import 'reflect-metadata';
import { bootstrapService, runService } from '@vrs/service-kit';
import { ORCHESTRATOR_GROUP, orchestratorModule } from './app.module';
import { loadOrchestratorConfig } from './config';

runService('job-orchestrator', async () => {
  const config = loadOrchestratorConfig();
  await bootstrapService({
    name: 'job-orchestrator',
    module: orchestratorModule(config),
    config,
    httpPort: config.HEALTH_PORT,
    consumerGroup: ORCHESTRATOR_GROUP,
  });
});
