import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FfmpegError, ffprobeJson, runFfmpeg } from './ffmpeg-runner';

describe('ffmpeg runner (real ffmpeg)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ffrun-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders a lavfi source with progress and probes it', async () => {
    const out = join(dir, 'a b.mp4');
    const progress: number[] = [];
    await runFfmpeg({
      inputs: [{ source: 'testsrc2=size=160x120:rate=25:duration=2', format: 'lavfi' }],
      output: out,
      outputOptions: ['-c:v', 'libx264', '-preset', 'ultrafast', '-vf', 'format=yuv420p, scale=160:120'],
      expectedDurationSec: 2,
      onProgress: (f) => progress.push(f),
    });
    expect(statSync(out).size).toBeGreaterThan(0);
    const info = await ffprobeJson(out);
    expect(info.streams[0].width).toBe(160);
    expect(Number(info.format.duration)).toBeCloseTo(2, 1);
  });

  it('rejects with the reason from stderr', async () => {
    await expect(runFfmpeg({ inputs: [{ source: join(dir, 'missing.mp4') }], output: join(dir, 'x.mp4'), outputOptions: [] })).rejects.toThrow(FfmpegError);
  });

  it('stops on abort', async () => {
    const controller = new AbortController();
    const run = runFfmpeg({
      inputs: [{ source: 'testsrc2=size=1280x720:rate=30:duration=600', format: 'lavfi' }],
      output: join(dir, 'long.mp4'),
      outputOptions: ['-c:v', 'libx264'],
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 300);
    await expect(run).rejects.toThrow('cancelled');
  });

  it('refuses to follow URLs from inside a playlist', async () => {
    const { writeFileSync } = await import('node:fs');
    const playlist = join(dir, 'evil.m3u8');
    writeFileSync(playlist, '#EXTM3U\n#EXTINF:1,\nhttp://169.254.169.254/latest/meta-data\n');
    await expect(ffprobeJson(playlist)).rejects.toThrow(FfmpegError);
  });
});
