import { Inject, Injectable } from '@nestjs/common';
import { OutputUrls } from '@vrs/contracts';
import { EVENT_OUTBOX, TransactionScope, type EventOutbox } from '@vrs/service-kit';
import { JobFlow } from '../application/job-flow';
import type { JobFlows } from '../application/ports/job-flows.port';
import type { DeadlineLimits } from '../domain/deadlines';
import { DEADLINE_LIMITS } from '../tokens';
import { SqlCancelTombstones } from './sql-cancel-tombstones';
import { SqlJobStore } from './sql-job-store';

/** `JobFlows` over the orchestrator's database: a flow's store and tombstones use the transaction open when it is made. */
@Injectable()
export class SqlJobFlows implements JobFlows {
  constructor(
    private readonly scope: TransactionScope,
    @Inject(EVENT_OUTBOX) private readonly outbox: EventOutbox,
    @Inject(OutputUrls) private readonly urls: OutputUrls,
    @Inject(DEADLINE_LIMITS) readonly limits: DeadlineLimits,
  ) {}

  open(): JobFlow {
    const manager = this.scope.manager;
    return new JobFlow(new SqlJobStore(manager, this.limits), new SqlCancelTombstones(manager), this.outbox, (key) => this.urls.urlFor(key));
  }
}
