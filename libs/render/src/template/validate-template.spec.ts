import { TemplateValidationError } from '../render-input-error';
import { introTemplate } from '../testing/spec-support';
import { parseTemplate, validateTemplate } from './validate-template';

function template(overrides: { composition?: Record<string, unknown>; layers?: unknown[]; top?: Record<string, unknown> } = {}) {
  return introTemplate(
    {
      background: { color: '#203040' },
      layers: overrides.layers ?? [{ layerName: 'name', type: 'text', text: 'Hello', font: 'DejaVu Sans Bold', x: 10, y: 20 }],
      ...overrides.composition,
    },
    overrides.top,
  );
}

function errorsOf(input: unknown) {
  const result = validateTemplate(input);
  if (result.ok) throw new Error('expected the template to be rejected');
  return result.errors;
}

const textLayer = (extra: Record<string, unknown>) => ({ layerName: 'title', type: 'text', text: 'Hi', ...extra });

describe('validateTemplate', () => {
  it('accepts a valid template and fills in defaults', () => {
    const result = validateTemplate(template());
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const layer = result.template.compositions.intro.layers[0];
    expect(layer).toMatchObject({ type: 'text', font: 'DejaVu Sans Bold', fontSize: 48, color: '#ffffff' });
  });

  it('rejects fonts that are not shipped with the project', () => {
    expect(errorsOf(template({ layers: [textLayer({ font: 'Comic Sans MS' })] }))).toEqual([
      { field: 'compositions.intro.layers[0].font', message: expect.stringContaining('"DejaVu Sans", "DejaVu Sans Bold"') },
    ]);
  });

  it('rejects colours that are not #rrggbb', () => {
    const errors = errorsOf(
      template({
        layers: [textLayer({ layerName: 'a' }), textLayer({ layerName: 'b' }), textLayer({ layerName: 'c', color: 'red' })],
        composition: { background: { color: '#12345' } },
      }),
    );
    expect(errors).toEqual([
      { field: 'compositions.intro.background.color', message: expect.stringContaining('#rrggbb') },
      { field: 'compositions.intro.layers[2].color', message: expect.stringContaining('#rrggbb') },
    ]);
  });

  it('rejects layers placed outside the frame', () => {
    const errors = errorsOf(
      template({ layers: [textLayer({ x: 320, y: -1 }), { layerName: 'logo', type: 'image', src: 'https://cdn.example/logo.png', x: 'center', y: 500 }] }),
    );
    expect(errors).toEqual([
      { field: 'compositions.intro.layers[0].x', message: '320 is outside the frame (0..319)' },
      { field: 'compositions.intro.layers[0].y', message: '-1 is outside the frame (0..179)' },
      { field: 'compositions.intro.layers[1].y', message: '500 is outside the frame (0..179)' },
    ]);
  });

  it('reports missing fields by path', () => {
    const errors = errorsOf({
      name: 'x',
      driver: 'builtin',
      compositions: {
        intro: {
          width: 320,
          fps: 25,
          durationSec: 2,
          layers: [
            { layerName: 'n', type: 'text' },
            { type: 'image', src: 'https://a.example/x.png' },
          ],
        },
      },
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'compositions.intro.height', message: 'is required' },
        { field: 'compositions.intro.layers[0].text', message: 'is required' },
        { field: 'compositions.intro.layers[1].layerName', message: 'is required' },
      ]),
    );
    expect(errors).toHaveLength(3);
  });

  it('enforces size, fps and duration limits', () => {
    const errors = errorsOf(template({ composition: { width: 7680, height: 181, fps: 120, durationSec: 601 } }));
    expect(errors).toEqual([
      { field: 'compositions.intro.width', message: 'must be at most 3840 px' },
      { field: 'compositions.intro.height', message: 'must be even (H.264 yuv420p needs even sizes)' },
      { field: 'compositions.intro.fps', message: 'must be between 1 and 60' },
      { field: 'compositions.intro.durationSec', message: 'must be at most 600 seconds' },
    ]);
    expect(errorsOf(template({ composition: { fps: 0 } }))).toEqual([{ field: 'compositions.intro.fps', message: 'must be between 1 and 60' }]);
  });

  it('rejects duplicate layer names', () => {
    expect(errorsOf(template({ layers: [textLayer({}), textLayer({ text: 'again' })] }))).toEqual([
      { field: 'compositions.intro.layers[1].layerName', message: 'duplicates layer name "title"' },
    ]);
  });

  it('rejects timing past the end, fields of another layer type and unknown layer types', () => {
    const errors = errorsOf(
      template({
        layers: [
          textLayer({ start: 1, end: 3 }),
          { layerName: 'music', type: 'audio', src: 'https://a.example/a.mp3', text: 'no' },
          { layerName: 'shape', type: 'rectangle' },
          textLayer({ layerName: 'fading', start: 0, end: 1, fadeInSec: 0.6, fadeOutSec: 0.6 }),
        ],
      }),
    );
    expect(errors).toEqual([
      { field: 'compositions.intro.layers[1].text', message: 'is not a recognised field here' },
      { field: 'compositions.intro.layers[2].type', message: 'type must be one of "text", "image", "video", "audio"' },
    ]);
    const timing = errorsOf(
      template({ layers: [textLayer({ start: 1, end: 3 }), textLayer({ layerName: 'fading', end: 1, fadeInSec: 0.6, fadeOutSec: 0.6 })] }),
    );
    expect(timing).toEqual([
      { field: 'compositions.intro.layers[0].end', message: '3 s is after the composition ends (2 s)' },
      { field: 'compositions.intro.layers[1].fadeOutSec', message: 'fade in + fade out (1.2 s) is longer than the layer is shown (1 s)' },
    ]);
  });

  it('requires nexrender settings for the nexrender driver and only maps known compositions', () => {
    expect(errorsOf(template({ top: { driver: 'nexrender' } }))).toEqual([{ field: 'nexrender', message: 'is required when driver is "nexrender"' }]);
    expect(
      errorsOf(template({ top: { driver: 'nexrender', nexrender: { templateSrc: 'https://farm.example/t.aep', compositions: { outro: 'Outro' } } } })),
    ).toEqual([{ field: 'nexrender.compositions.outro', message: 'maps composition "outro", which the template does not have' }]);
  });

  it('parseTemplate throws a TemplateValidationError carrying the details', () => {
    const error = (() => {
      try {
        parseTemplate(template({ layers: [textLayer({ color: 'blue' })] }));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TemplateValidationError);
    expect((error as TemplateValidationError).details).toEqual([{ field: 'compositions.intro.layers[0].color', message: expect.any(String) }]);
    expect((error as Error).message).toContain('compositions.intro.layers[0].color');
  });
});
