/**
 * The pause of a polling loop (the outbox relay, the webhook dispatcher) that `wake` cuts short. A
 * wake that comes while the loop is busy is kept, so the next pause ends at once: work recorded
 * during a pass is never left waiting a whole interval.
 */
export class WakeableSleep {
  private woken = false;
  private wakeUp?: () => void;

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Drops a wake kept from before, so the next pause is a real one (a backoff after a failure). */
  forget(): void {
    this.woken = false;
  }

  sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
