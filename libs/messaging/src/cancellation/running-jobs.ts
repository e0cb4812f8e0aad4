import { Injectable } from '@nestjs/common';

/** What a cancel did to the work running here: stopped it, found it is another tenant's, or found none. */
export type CancelOutcome = 'stopped' | 'foreign' | 'not-running';

/** Long work (stitches, renders) running in this process, with the tenant it is for, so a cancel can stop it at once. */
@Injectable()
export class RunningJobs {
  private readonly running = new Map<string, { tenantId: string; controller: AbortController }>();

  start(jobId: string, tenantId: string): AbortController {
    const controller = new AbortController();
    this.running.set(jobId, { tenantId, controller });
    return controller;
  }

  end(jobId: string): void {
    this.running.delete(jobId);
  }

  /** Stops the job's work, only when the cancel comes from the tenant the work is for. */
  cancel(jobId: string, tenantId: string): CancelOutcome {
    const work = this.running.get(jobId);
    if (!work) return 'not-running';
    if (work.tenantId !== tenantId) return 'foreign';
    work.controller.abort();
    return 'stopped';
  }
}
