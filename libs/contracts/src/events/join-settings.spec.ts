import { toFieldIssues } from '../registry';
import { joinJobBody, joinRequested } from './join-requested';
import { stitchRequested } from './stitch';

const clip = (extra: object = {}) => ({ type: 'video', src: 'https://cdn.example/a.mp4', ...extra });
const body = (settings: unknown, assets: unknown[] = [clip(), clip()]) => ({ assets, settings });
const fields = (value: unknown) => {
  const result = joinJobBody().safeParse(value);
  return result.success ? [] : toFieldIssues(result.error);
};
const UPLOAD = 'upload://0b6a3c52-1f0e-4f7e-9a51-6f1c5e1b2a3d';

describe('join settings', () => {
  it('accepts every part together and fills in the documented defaults', () => {
    const parsed = joinJobBody().parse(
      body(
        {
          preset: 'mp4',
          output: { aspect: '9:16', width: 720, fps: 30, codec: 'h265', quality: 'high', audioBitrate: 128 },
          transition: { type: 'crossfade', duration: 0.5 },
          loudness: {},
          soundtrack: { src: 'https://cdn.example/music.mp3' },
          poster: {},
          thumbnails: {},
        },
        [clip({ transition: { type: 'fade', duration: 1 } }), clip()],
      ),
    );
    expect(parsed.settings).toEqual({
      preset: 'mp4',
      output: { aspect: '9:16', width: 720, fps: 30, codec: 'h265', quality: 'high', audioBitrate: 128, fit: 'contain' },
      transition: { type: 'crossfade', duration: 0.5 },
      loudness: { integrated: -16, truePeak: -1 },
      soundtrack: { src: 'https://cdn.example/music.mp3', volume: 0.25, fadeOut: 2, duck: false },
      poster: {},
      thumbnails: { every: 5, width: 160 },
    });
    expect(parsed.assets[0]).toEqual(clip({ transition: { type: 'fade', duration: 1 } }));
  });

  it('takes 4K at 120 fps in H.265, and at 60 fps in H.264', () => {
    expect(fields(body({ output: { width: 3840, height: 2160, fps: 120, codec: 'h265' } }))).toEqual([]);
    expect(fields(body({ output: { width: 3840, height: 2160, fps: 60 } }))).toEqual([]);
  });

  it('leaves a body without settings as it was', () => {
    expect(joinJobBody().parse(body(undefined))).toEqual({ assets: [clip(), clip()] });
    expect(joinJobBody().parse(body({ preset: 'mp4' })).settings).toEqual({ preset: 'mp4' });
  });

  it.each([
    [{ output: { width: 721 } }, 'settings.output.width', /even whole number from 16 to 3840 pixels/],
    [{ output: { width: 4000 } }, 'settings.output.width', /from 16 to 3840/],
    [{ output: { height: 8 } }, 'settings.output.height', /from 16 to 2160/],
    [{ output: { height: '720' } }, 'settings.output.height', /even whole number/],
    [{ output: { aspect: '3:2' } }, 'settings.output.aspect', /"9:16", "1:1", "16:9", "4:5"/],
    [{ output: { fit: 'fill' } }, 'settings.output.fit', /"contain", "cover", "stretch"/],
    [{ output: { fps: 0 } }, 'settings.output.fps', /from 1 to 120/],
    [{ output: { fps: 240 } }, 'settings.output.fps', /from 1 to 120/],
    [{ output: { codec: 'vp9' } }, 'settings.output.codec', /"h264", "h265"/],
    [{ output: { quality: 'best' } }, 'settings.output.quality', /"draft", "standard", "high"/],
    [{ output: { crf: 52 } }, 'settings.output.crf', /whole number from 0 to 51/],
    [{ output: { crf: 20.5 } }, 'settings.output.crf', /whole number/],
    [{ output: { audioBitrate: 16 } }, 'settings.output.audioBitrate', /32 to 512 kbit\/s/],
    [{ output: { bitrate: 1000 } }, 'settings.output', /bitrate/],
    [{ output: { aspect: '1:1', width: 720, height: 720 } }, 'settings.output.aspect', /both width and height/],
    [{ output: { quality: 'draft', crf: 20 } }, 'settings.output.crf', /quality/],
    [{ output: { aspect: '9:16', width: 1440 } }, 'settings.output.width', /height would exceed 2160/],
    [{ output: { aspect: '1:1', width: 2400 } }, 'settings.output.width', /height would exceed 2160/],
    [{ output: { width: 3840, height: 2160, fps: 120 } }, 'settings.output.fps', /at most 64 fps.*"h265"/],
    [{ output: { width: 3840, aspect: '16:9', fps: 90 } }, 'settings.output.fps', /3840x2160 .*at most 64 fps/],
    [{ transition: { type: 'wipe', duration: 1 } }, 'settings.transition.type', /"fade", "crossfade"/],
    [{ transition: { type: 'fade' } }, 'settings.transition.duration', /more than 0 and at most 5 seconds/],
    [{ transition: { type: 'fade', duration: 0 } }, 'settings.transition.duration', /more than 0/],
    [{ transition: { type: 'fade', duration: 5.5 } }, 'settings.transition.duration', /at most 5/],
    [{ loudness: { integrated: -3 } }, 'settings.loudness.integrated', /-70 to -5 LUFS/],
    [{ loudness: { truePeak: 1 } }, 'settings.loudness.truePeak', /-9 to 0 dBTP/],
    [{ soundtrack: {} }, 'settings.soundtrack.src', /http\(s\) URL/],
    [{ soundtrack: { src: 'ftp://x/a.mp3' } }, 'settings.soundtrack.src', /http\(s\) URL/],
    [{ soundtrack: { src: 'https://x/a.mp3', volume: 2 } }, 'settings.soundtrack.volume', /from 0 to 1/],
    [{ soundtrack: { src: 'https://x/a.mp3', fadeOut: 31 } }, 'settings.soundtrack.fadeOut', /0 to 30 seconds/],
    [{ soundtrack: { src: 'https://x/a.mp3', duck: 'yes' } }, 'settings.soundtrack.duck', /true or false/],
    [{ poster: { at: -1 } }, 'settings.poster.at', /seconds from 0/],
    [{ thumbnails: { every: 0.1 } }, 'settings.thumbnails.every', /0.5 to 60 seconds/],
    [{ thumbnails: { width: 1000 } }, 'settings.thumbnails.width', /32 to 640 pixels/],
    [{ preset: 'webm' }, 'settings.preset', /"mp4"/],
  ])('refuses %j naming %s', (settings, field, message) => {
    const issues = fields(body(settings));
    expect(issues).toHaveLength(1);
    expect(issues[0].field).toBe(field);
    expect(issues[0].message).toMatch(message);
  });

  it('refuses a transition on the last clip and a bad one on any clip, naming the asset', () => {
    expect(fields(body(undefined, [clip(), clip(), clip({ transition: { type: 'fade', duration: 1 } })]))).toEqual([
      { field: 'assets[2].transition', message: expect.stringMatching(/last clip/) },
    ]);
    expect(fields(body(undefined, [clip({ transition: { type: 'fade', duration: 9 } }), clip()]))[0].field).toBe('assets[0].transition.duration');
    const job = { type: 'job', template: { id: 't', composition: 'main' }, transition: { type: 'crossfade', duration: 1 } };
    expect(fields(body(undefined, [job, clip()]))).toEqual([]);
    expect(fields(body(undefined, [clip(), job]))[0].field).toBe('assets[1].transition');
  });

  it('takes an upload:// soundtrack over HTTP but not on join.requested', () => {
    expect(fields(body({ soundtrack: { src: UPLOAD } }))).toEqual([]);
    const event = joinRequested.safeParse({ schemaVersion: 1, tenantId: 't', ...body({ soundtrack: { src: UPLOAD } }) });
    expect(event.success).toBe(false);
    expect(toFieldIssues(event.error!)).toEqual([{ field: 'settings.soundtrack.src', message: expect.stringContaining('HTTP API') }]);
  });

  it('validates join.requested like the HTTP body', () => {
    const event = (settings: unknown, assets?: unknown[]) =>
      toFieldIssues(joinRequested.safeParse({ schemaVersion: 1, tenantId: 't', ...body(settings, assets) }).error!);
    expect(event({ output: { width: 7 } })).toEqual([{ field: 'settings.output.width', message: expect.stringMatching(/even whole number/) }]);
    expect(event(undefined, [clip(), clip({ transition: { type: 'fade', duration: 1 } })])).toEqual([
      { field: 'assets[1].transition', message: expect.stringMatching(/last clip/) },
    ]);
  });

  it('carries settings and clip transitions on stitch.requested', () => {
    const settings = joinJobBody().parse(body({ output: { aspect: '1:1' }, poster: { at: 2 } })).settings;
    const event = stitchRequested.parse({
      eventId: '0b6a3c52-1f0e-4f7e-9a51-6f1c5e1b2a3d',
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      jobId: 'j',
      tenantId: 't',
      clips: [{ src: 'https://x/a.mp4', transition: { type: 'crossfade', duration: 1 } }, { src: 'https://x/b.mp4' }],
      outputKey: 'j.mp4',
      settings,
    });
    expect(event.settings).toEqual({ output: { aspect: '1:1', fit: 'contain' }, poster: { at: 2 } });
    expect(event.clips[0].transition).toEqual({ type: 'crossfade', duration: 1 });
  });
});
