import { Injectable } from '@nestjs/common';

/** Long work (stitches, renders) running in this process, so a cancel can stop it at once. */
@Injectable()
export class RunningJobs {
  private readonly running = new Map<string, AbortController>();

  start(jobId: string): AbortController {
    const controller = new AbortController();
    this.running.set(jobId, controller);
    return controller;
  }

  end(jobId: string): void {
    this.running.delete(jobId);
  }

  cancel(jobId: string): boolean {
    const controller = this.running.get(jobId);
    controller?.abort();
    return Boolean(controller);
  }
}
