import 'reflect-metadata';
import { bootstrapService, runService } from '@vrs/service-kit';
import { NOTIFIER_GROUP, notifierModule } from './app.module';
import { loadNotifierConfig } from './config';

runService('notifier', async () => {
  const config = loadNotifierConfig();
  await bootstrapService({
    name: 'notifier',
    module: notifierModule(config),
    config,
    httpPort: config.HEALTH_PORT,
    consumerGroup: NOTIFIER_GROUP,
  });
});
