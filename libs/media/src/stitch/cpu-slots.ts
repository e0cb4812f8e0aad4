import { MediaError } from './media-error';

/**
 * A process-wide budget for CPU-heavy ffmpeg work (normalising a clip re-encodes it): at most `size`
 * run at once across every stitch of the process, the others wait their turn in order. Light steps —
 * the copy join, probes, checks — do not take a slot, so many copy joins run beside a bounded number
 * of encodes.
 */
export class CpuSlots {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`CPU slots must be a whole number ≥ 1, not ${size}`);
  }

  /** Runs `work` in a slot; a cancel while it waits for one rejects without running it. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await work();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new MediaError('cancelled', 'The stitch was cancelled.'));
    if (this.running < this.size) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const admit = () => {
        signal?.removeEventListener('abort', abort);
        resolve();
      }; // the slot passes straight on
      const abort = () => {
        this.queue.splice(this.queue.indexOf(admit), 1);
        reject(new MediaError('cancelled', 'The stitch was cancelled.'));
      };
      this.queue.push(admit);
      signal?.addEventListener('abort', abort, { once: true });
    });
  }
}
