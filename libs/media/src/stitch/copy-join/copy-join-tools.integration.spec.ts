import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeClip } from '../../../test/media-fixtures';
import { stitchClips } from '../stitch-clips';
import { assertCopyJoinToolsInstalled } from './copy-join-tools';
import { stretchEncoder } from './splice-audio';
import { outputProbe } from './verify-copy';

/**
 * The copy join runs builds of ffmpeg and ffprobe for its own work alone (scripts/infra/copy-join-tools.sh,
 * COPY_JOIN_TOOLS_DIR): they must answer byte for byte what Debian's full builds answer, and read nothing else.
 */
describe("the copy join's own ffmpeg and ffprobe (scripts/infra/copy-join-tools.sh)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'copy-join-tools-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const built =
    process.env.COPY_JOIN_TOOLS_DIR ||
    execFileSync('bash', [resolve(__dirname, '../../../../../scripts/infra/copy-join-tools.sh'), '--print-dir'], { encoding: 'utf8' }).trim();
  const run = (command: string, args: string[], input: Buffer) =>
    spawnSync(command, ['-hide_banner', '-v', 'error', '-protocol_whitelist', 'pipe', ...args], { input });
  let clip: string;
  beforeAll(async () => {
    clip = await makeClip(dir, 'clip', { size: '1280x720', fps: 30, durationSec: 3 });
  });

  it("ffprobe answers what Debian's answers for a copy join of 720p clips", async () => {
    const joined = join(dir, 'joined.mp4');
    expect((await stitchClips({ inputs: [clip, clip, clip], outputPath: joined, workDir: dir })).method).toBe('copy-join');
    const head = readFileSync(joined).subarray(0, 2 ** 21);
    const [ours, debian] = [run(join(built, 'ffprobe'), outputProbe().args, head), run('ffprobe', outputProbe().args, head)];
    expect(ours.status).toBe(0);
    expect(JSON.parse(ours.stdout.toString())).toEqual(JSON.parse(debian.stdout.toString()));
    expect(JSON.parse(ours.stdout.toString()).streams.map((s: { codec_name: string }) => s.codec_name)).toEqual(['h264', 'aac']);
  });

  it("ffmpeg encodes the sound around a join to the same bytes as Debian's", () => {
    const adts = join(dir, 'sound.aac');
    expect(spawnSync('ffmpeg', ['-v', 'error', '-y', '-i', clip, '-map', '0:a', '-c:a', 'copy', '-f', 'adts', adts]).status).toBe(0);
    // Two decoded runs around a gap of silence, as the copy join's stretches are cut.
    const graph = [
      '[0:a]asplit=2[d0][d1]',
      '[d0]atrim=start_sample=0:end_sample=4096,asetpts=N/SR/TB[p0]',
      'anullsrc=r=48000:cl=stereo,atrim=end_sample=1024,asetpts=N/SR/TB[p1]',
      '[d1]atrim=start_sample=8192:end_sample=12288,asetpts=N/SR/TB[p2]',
      '[p0][p1][p2]concat=n=3:v=0:a=1[joins]',
    ].join(';\n');
    const encode = (command: string) =>
      spawnSync('bash', [
        '-c',
        `"$0" -hide_banner -v error -protocol_whitelist pipe ${stretchEncoder().args.join(' ')} < "$1" 3< <(printf '%s' "$2")`,
        command,
        adts,
        graph,
      ]);
    const [ours, debian] = [encode(join(built, 'ffmpeg')), encode('ffmpeg')];
    expect(ours.status).toBe(0);
    expect(ours.stdout.length).toBeGreaterThan(1000);
    expect(ours.stdout.equals(debian.stdout)).toBe(true);
  });

  it('reads no other format and no file', async () => {
    const webm = readFileSync(await makeClip(dir, 'other', { container: 'webm' }));
    expect(run(join(built, 'ffprobe'), ['-show_format', '-of', 'json', '-i', 'pipe:0'], webm).status).not.toBe(0);
    for (const [tool, output] of [
      ['ffprobe', []],
      ['ffmpeg', ['-f', 'adts', 'pipe:1']],
    ] as const) {
      const local = run(join(built, tool), ['-i', 'file:/etc/hostname', ...output], Buffer.alloc(0));
      expect(local.status).not.toBe(0);
      expect(local.stderr.toString()).toMatch(/Protocol not found|not on whitelist/);
    }
  });

  it('keeps a stitcher from starting when COPY_JOIN_TOOLS_DIR lacks them', () => {
    const configured = process.env.COPY_JOIN_TOOLS_DIR;
    try {
      process.env.COPY_JOIN_TOOLS_DIR = join(dir, 'missing');
      expect(() => assertCopyJoinToolsInstalled()).toThrow(/^COPY_JOIN_TOOLS_DIR: .*missing\/ffmpeg is not an executable file/);
      process.env.COPY_JOIN_TOOLS_DIR = built;
      expect(() => assertCopyJoinToolsInstalled()).not.toThrow();
    } finally {
      if (configured === undefined) delete process.env.COPY_JOIN_TOOLS_DIR;
      else process.env.COPY_JOIN_TOOLS_DIR = configured;
    }
  });
});
