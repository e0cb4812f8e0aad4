import { parseTemplate } from '../template/validate-template';
import { buildRenderRequest } from './build-render-request';
import { mediaSources } from './media-sources';

const template = parseTemplate({
  name: 'collage',
  driver: 'builtin',
  compositions: {
    main: {
      width: 320,
      height: 240,
      fps: 25,
      durationSec: 1,
      background: { color: '#000000', image: 'https://cdn.example/bg.png' },
      layers: [
        { layerName: 'title', type: 'text', text: 'hi' },
        { layerName: 'logo', type: 'image', src: 'https://cdn.example/logo.png' },
        { layerName: 'clip', type: 'video', src: 'https://cdn.example/clip.mp4' },
      ],
    },
  },
});

describe('mediaSources', () => {
  it("names injected media by the caller's asset and the rest by the template layer", () => {
    const request = buildRenderRequest(
      template,
      {
        compositionName: 'main',
        assets: [
          { type: 'data', layerName: 'title', property: 'Source Text', value: 'Ada' },
          { type: 'video', layerName: 'clip', src: 'https://user.example/mine.mp4' },
        ],
      },
      async () => undefined,
    );
    expect(mediaSources(request)).toEqual([
      { url: 'https://cdn.example/bg.png', type: 'image', field: 'background.image' },
      { url: 'https://cdn.example/logo.png', type: 'image', field: 'template layer "logo" (layers[1].src)' },
      { url: 'https://user.example/mine.mp4', type: 'video', field: 'assets[1].src' },
    ]);
  });
});
