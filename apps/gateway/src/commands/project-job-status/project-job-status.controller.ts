import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@vrs/contracts';
import { KafkaInbox } from '@vrs/messaging';
import { JobViews } from '../../infrastructure/job-views';

/** Keeps the read model up to date from the orchestrator's status events. */
@Controller()
export class ProjectJobStatusController {
  constructor(private readonly inbox: KafkaInbox) {}

  @EventPattern(TOPICS.jobStatusChanged)
  onStatusChanged(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.jobStatusChanged>(context, (event, work) =>
      work.transaction(async (manager) => { await new JobViews(manager).apply(event); }));
  }
}
