import 'reflect-metadata';
import { bootstrapService, runService } from '@vrs/service-kit';
import { STITCHER_GROUP, stitcherModule } from './app.module';
import { loadStitcherConfig } from './config';

runService('stitcher', async () => {
  const config = loadStitcherConfig();
  await bootstrapService({
    name: 'stitcher',
    module: stitcherModule(config),
    config,
    httpPort: config.HEALTH_PORT,
    consumerGroup: STITCHER_GROUP,
  });
});
