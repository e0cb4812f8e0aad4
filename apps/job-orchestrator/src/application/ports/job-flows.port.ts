import type { DeadlineLimits } from '../../domain/deadlines';
import type { JobFlow } from '../job-flow';

/** Opens a `JobFlow` on the current transaction (call it inside `Transactions.run`), with the service's output URLs and deadline limits. */
export interface JobFlows {
  open(): JobFlow;
  readonly limits: DeadlineLimits;
}

export const JOB_FLOWS = Symbol('JOB_FLOWS');
