import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@vrs/contracts';
import { KafkaInbox } from '@vrs/messaging';
import { TransactionScope } from '@vrs/service-kit';
import { AcceptJoinRequestHandler } from './accept-join-request.handler';

@Controller()
export class AcceptJoinRequestController {
  constructor(
    private readonly inbox: KafkaInbox,
    private readonly scope: TransactionScope,
    private readonly handler: AcceptJoinRequestHandler,
  ) {}

  @EventPattern(TOPICS.joinRequested)
  onJoinRequested(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.joinRequested>(context, (event, work, message) =>
      this.handler.handle(event, this.scope.consuming(work), message, this.inbox.shutdownSignal),
    );
  }
}
