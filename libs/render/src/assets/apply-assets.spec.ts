import { AssetInjectionError } from '../render-input-error';
import { parseTemplate } from '../template/validate-template';
import { introTemplate } from '../testing/spec-support';
import { applyAssets } from './apply-assets';

const template = parseTemplate(
  introTemplate({
    layers: [
      { layerName: 'name', type: 'text', text: 'placeholder' },
      { layerName: 'logo', type: 'image', src: 'https://cdn.example/logo.png' },
      { layerName: 'music', type: 'audio', src: 'https://cdn.example/music.mp3' },
    ],
  }),
);

function injectionError(run: () => unknown): AssetInjectionError {
  try {
    run();
  } catch (error) {
    if (error instanceof AssetInjectionError) return error;
    throw error;
  }
  throw new Error('expected an AssetInjectionError');
}

describe('applyAssets', () => {
  it('replaces text and media, leaving the template untouched', () => {
    const composition = applyAssets(template, 'intro', [
      { type: 'data', layerName: 'name', property: 'Source Text', value: 'Ada' },
      { type: 'image', layerName: 'logo', src: 'https://cdn.example/other.png' },
    ]);
    expect(composition.layers[0]).toMatchObject({ layerName: 'name', text: 'Ada' });
    expect(composition.layers[1]).toMatchObject({ layerName: 'logo', src: 'https://cdn.example/other.png' });
    expect(template.compositions.intro.layers[0]).toMatchObject({ text: 'placeholder' });
  });

  it('names an unknown composition', () => {
    const error = injectionError(() => applyAssets(template, 'outro', []));
    expect(error.details).toEqual([{ field: 'template.composition', message: 'unknown composition "outro"; the template has "intro"' }]);
    expect(injectionError(() => applyAssets(template, 'toString', [])).details[0].field).toBe('template.composition');
  });

  it('names an unknown layer and a type mismatch by asset index', () => {
    const error = injectionError(() =>
      applyAssets(template, 'intro', [
        { type: 'data', layerName: 'name', property: 'Source Text', value: 'ok' },
        { type: 'data', layerName: 'surname', property: 'Source Text', value: 'Lovelace' },
        { type: 'video', layerName: 'logo', src: 'https://cdn.example/clip.mp4' },
        { type: 'data', layerName: 'music', property: 'Source Text', value: 'x' },
      ]),
    );
    expect(error.details).toEqual([
      { field: 'assets[1].layerName', message: 'composition "intro" has no layer "surname"' },
      { field: 'assets[2].type', message: 'layer "logo" has type image; an asset of type video cannot replace it' },
      { field: 'assets[3].type', message: 'layer "music" has type audio; a data (Source Text) asset cannot replace it' },
    ]);
  });

  it('rejects malformed assets with their paths', () => {
    const error = injectionError(() =>
      applyAssets(template, 'intro', [
        { type: 'image', layerName: 'logo', src: 'file:///etc/passwd' },
        { type: 'data', layerName: 'name', property: 'Scale', value: 'x' },
        { type: 'job', layerName: 'logo' },
      ]),
    );
    expect(error.details).toEqual([
      { field: 'assets[0].src', message: 'must be an http(s) URL' },
      { field: 'assets[1].property', message: 'only "Source Text" can be set' },
      { field: 'assets[2].type', message: expect.stringContaining('job assets are rendered first') },
    ]);
  });
});
