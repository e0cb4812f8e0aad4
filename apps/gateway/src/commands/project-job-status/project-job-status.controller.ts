import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@vrs/contracts';
import { KafkaInbox } from '@vrs/messaging';
import { TransactionScope } from '@vrs/service-kit';
import { ProjectJobStatusHandler } from './project-job-status.handler';

/** Keeps the read model up to date from the orchestrator's status events. */
@Controller()
export class ProjectJobStatusController {
  constructor(
    private readonly inbox: KafkaInbox,
    private readonly scope: TransactionScope,
    private readonly handler: ProjectJobStatusHandler,
  ) {}

  @EventPattern(TOPICS.jobStatusChanged)
  onStatusChanged(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.jobStatusChanged>(context, (event, work) => this.handler.handle(event, this.scope.consuming(work)));
  }
}
