import { Injectable } from '@nestjs/common';

/** Renders running in this process, so a cancel can stop them at once. */
@Injectable()
export class RunningRenders {
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
