import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutputUrls } from '@vrs/contracts';
import type { DeadlineLimits } from '../domain/deadlines';
import { DEADLINE_LIMITS } from '../tokens';
import { JobFlow } from './job-flow';

/** Opens a `JobFlow` inside a transaction, with the service's output URLs and deadline limits. */
@Injectable()
export class JobFlows {
  constructor(@Inject(OutputUrls) private readonly urls: OutputUrls, @Inject(DEADLINE_LIMITS) readonly limits: DeadlineLimits) {}

  open(manager: EntityManager): JobFlow {
    return new JobFlow(manager, (key) => this.urls.urlFor(key), this.limits);
  }
}
