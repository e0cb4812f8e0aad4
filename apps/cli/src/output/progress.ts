import { SingleBar } from 'cli-progress';

/** One progress bar at a time on stderr; nothing at all when stderr is not a terminal or output is --json. */
export class ProgressDisplay {
  private bar?: SingleBar;

  constructor(private readonly enabled: boolean) {}

  start(label: string, total: number, unit: 'bytes' | '%'): void {
    this.stop();
    if (!this.enabled) return;
    this.bar = new SingleBar({
      format: `{label} [{bar}] {percentage}% ${unit === 'bytes' ? '{value}/{total} bytes' : ''}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    });
    this.bar.start(total, 0, { label });
  }

  update(value: number, label?: string): void {
    this.bar?.update(value, label === undefined ? undefined : { label });
  }

  setTotal(total: number): void {
    this.bar?.setTotal(total);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
