import { readdirSync, readFileSync } from 'node:fs';

export interface MemoryPeaks {
  nodeRssMb: number;
  /** Largest single ffmpeg/ffprobe child at any sample. */
  childRssMb: number;
  /** Largest sum of this process and all its children at one sample. */
  totalRssMb: number;
}

/** Samples this process's RSS and its child processes' RSS from /proc until stopped. */
export function sampleMemory(intervalMs = 50): { stop: () => MemoryPeaks } {
  const peaks: MemoryPeaks = { nodeRssMb: 0, childRssMb: 0, totalRssMb: 0 };
  const sample = () => {
    const node = process.memoryUsage().rss / 2 ** 20;
    const children = childRssMb();
    peaks.nodeRssMb = Math.max(peaks.nodeRssMb, node);
    peaks.childRssMb = Math.max(peaks.childRssMb, ...children);
    peaks.totalRssMb = Math.max(peaks.totalRssMb, node + children.reduce((a, b) => a + b, 0));
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}

function childRssMb(): number[] {
  const sizes: number[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== process.pid) continue;
      sizes.push(Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) / 1024);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return sizes;
}
