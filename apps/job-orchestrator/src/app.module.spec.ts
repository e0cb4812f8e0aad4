import 'reflect-metadata';
import type { DynamicModule, Provider } from '@nestjs/common';
import { MESSAGING_OPTIONS, type MessagingOptions } from '@vrs/messaging';
import { orchestratorModule } from './app.module';
import { loadOrchestratorConfig } from './config';

describe('orchestratorModule', () => {
  it('handles as many messages at once as CONSUMER_CONCURRENCY says (it handled one at a time)', () => {
    const module = orchestratorModule(loadOrchestratorConfig({ ...process.env, CONSUMER_CONCURRENCY: '7' }));
    const providers = (Reflect.getMetadata('imports', module) as DynamicModule[]).flatMap((imported) => (imported?.providers ?? []) as Provider[]);
    const options = providers.find((provider) => typeof provider === 'object' && 'provide' in provider && provider.provide === MESSAGING_OPTIONS);
    expect((options as { useValue: MessagingOptions }).useValue.consumerCapacity).toBe(7);
  });
});
