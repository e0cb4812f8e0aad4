import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TERMINAL_STATUSES, TOPICS } from '@vrs/contracts';
import { KafkaInbox } from '@vrs/messaging';
import { logger } from '@vrs/observability';

/** Follows job status changes; jobs that end with a webhook are the notifier's work. */
@Controller()
export class RecordTerminalStatusController {
  private readonly log = logger('job-status');

  constructor(private readonly inbox: KafkaInbox) {}

  @EventPattern(TOPICS.jobStatusChanged)
  onStatusChanged(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.jobStatusChanged>(context, async (event, work) => {
      await work.transaction(async () => {
        if (TERMINAL_STATUSES.includes(event.status) && event.webhook) this.log.info('job ended with a webhook', { status: event.status });
      });
    });
  }
}
