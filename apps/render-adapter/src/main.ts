import 'reflect-metadata';
import { bootstrapService, runService } from '@vrs/service-kit';
import { RENDER_ADAPTER_GROUP, renderAdapterModule } from './app.module';
import { loadRenderAdapterConfig } from './config';

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
