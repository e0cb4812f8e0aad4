import { RenderSettingsError } from '../render-input-error';
import { parseTemplate } from '../template/validate-template';
import { resolveRenderSettings } from './render-settings';

const composition = parseTemplate({ name: 't', driver: 'builtin', compositions: { main: { width: 320, height: 180, fps: 25, durationSec: 2 } } }).compositions
  .main;

function settingsError(input: Parameters<typeof resolveRenderSettings>[0]): RenderSettingsError {
  try {
    resolveRenderSettings(input, composition);
  } catch (error) {
    if (error instanceof RenderSettingsError) return error;
    throw error;
  }
  throw new Error('expected a RenderSettingsError');
}

describe('resolveRenderSettings', () => {
  it('defaults to full quality H.264 of the whole composition', () => {
    expect(resolveRenderSettings({}, composition)).toEqual({
      preview: false,
      quality: 'full',
      codec: 'h264',
      engine: undefined,
      frames: undefined,
      speed: 'full',
      scale: 1,
    });
  });

  it('renders previews at half size with the fastest preset', () => {
    expect(resolveRenderSettings({ preview: true }, composition)).toMatchObject({ preview: true, speed: 'preview', scale: 0.5 });
  });

  it('maps quality, codec, engine and frames', () => {
    expect(resolveRenderSettings({ settings: { quality: 'draft', codec: 'h265', engine: 'ae2026', frames: [10, 20] } }, composition)).toMatchObject({
      speed: 'draft',
      codec: 'h265',
      engine: 'ae2026',
      frames: { start: 10, end: 20 },
    });
    expect(resolveRenderSettings({ settings: { frames: 7 } }, composition).frames).toEqual({ start: 7, end: 7 });
  });

  it('rejects preview together with settings', () => {
    expect(settingsError({ preview: true, settings: { quality: 'draft' } }).details).toEqual([
      { field: 'preview', message: 'cannot be combined with settings; send either preview or settings' },
    ]);
  });

  it('rejects unknown codecs (vp9 too: every output is an MP4) and engines, and frames outside the composition', () => {
    expect(settingsError({ settings: { codec: 'vp9' as never } }).details).toEqual([
      { field: 'settings.codec', message: 'codec must be one of "h264", "h265"' },
    ]);
    expect(settingsError({ settings: { codec: 'prores' as never, engine: 'ae2019' as never } }).details).toEqual([
      { field: 'settings.codec', message: 'codec must be one of "h264", "h265"' },
      { field: 'settings.engine', message: 'engine must be one of "ae2025", "ae2026"' },
    ]);
    expect(settingsError({ settings: { frames: [10, 50] } }).details).toEqual([{ field: 'settings.frames', message: 'the composition has frames 0..49' }]);
    expect(settingsError({ settings: { frames: [20, 10] } }).details).toEqual([{ field: 'settings.frames', message: 'start must not be after end' }]);
  });
});
