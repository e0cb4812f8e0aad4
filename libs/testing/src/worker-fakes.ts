import type { UnitOfWork } from '@vrs/messaging';
import type { EventOutbox, LongWork, LongWorkRunner } from '@vrs/service-kit';

export interface PublishedEvent {
  topic: string;
  key: string;
  body: any;
}

/** An outbox in memory: `published` holds every event, in order. */
export function recordingOutbox(): EventOutbox & { published: PublishedEvent[] } {
  const published: PublishedEvent[] = [];
  return {
    published,
    publish: async (topic, key, body) => {
      published.push({ topic, key, body });
    },
    publishAll: async (events) => {
      published.push(...events.map(({ topic, key, body }) => ({ topic, key, body })));
    },
  };
}

/**
 * Runs the work in `workDir`, then its outcome, as CancellableWork does (without the cancel and
 * shutdown paths); `onOutcome` hears which outcome ran, before it runs.
 */
export function inlineLongWork(workDir: string, onOutcome: (outcome: 'succeeded' | 'failed') => void = () => undefined): LongWorkRunner {
  return {
    perform: async <R>(_jobId: string, _tenantId: string, _work: UnitOfWork, job: LongWork<R>) => {
      let result: R;
      try {
        result = await job.run({ signal: new AbortController().signal, workDir });
      } catch (error) {
        onOutcome('failed');
        await job.failed(error);
        return;
      }
      onOutcome('succeeded');
      await job.succeeded(result);
    },
  };
}
