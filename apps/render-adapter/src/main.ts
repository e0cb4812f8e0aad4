import 'reflect-metadata';
import { bootstrapService, runService } from '@vrs/service-kit';
import { loadRenderAdapterConfig } from './config';
import { RENDER_ADAPTER_GROUP, renderAdapterModule } from './app.module';

runService('render-adapter', async () => {
  const config = loadRenderAdapterConfig();
  await bootstrapService({
    name: 'render-adapter',
    module: renderAdapterModule(config),
    config,
    httpPort: config.HEALTH_PORT,
    consumerGroup: RENDER_ADAPTER_GROUP,
  });
});
