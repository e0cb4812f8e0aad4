import { OutputUrls } from '@vrs/contracts';
import { outputContentType, servedThumbnailIndex } from './output-media';

describe('stored outputs as served (pure)', () => {
  const urls = new OutputUrls('https://vrs.example', 'a-secret-of-sixteen-chars');
  const index =
    'WEBVTT\n\n00:00:00.000 --> 00:00:05.000\nj1.thumbnails.jpg#xywh=0,0,160,90\n\n00:00:05.000 --> 00:00:07.000\nj1.thumbnails.jpg#xywh=160,0,160,90\n';

  it('names the content type by the key', () => {
    expect(['j1.mp4', 'j1.poster.jpg', 'j1.thumbnails.jpg', 'j1.thumbnails.vtt'].map(outputContentType)).toEqual([
      'video/mp4',
      'image/jpeg',
      'image/jpeg',
      'text/vtt; charset=utf-8',
    ]);
  });

  it("signs the index's references to its own sprite, keeping each cue's fragment, and nothing else", () => {
    const served = servedThumbnailIndex('j1.thumbnails.vtt', index, urls);
    const sprite = urls.urlFor('j1.thumbnails.jpg');
    expect(sprite).toMatch(/^https:\/\/vrs\.example\/outputs\/j1\.thumbnails\.jpg\?sig=[\w-]{32}$/);
    expect(served).toBe(index.replace(/^j1\.thumbnails\.jpg#/gm, `${sprite}#`));
    expect(urls.verify('j1.thumbnails.jpg', new URL(sprite).searchParams.get('sig'))).toBe(true);
    // Another job's sprite named in an index gets no signature.
    expect(servedThumbnailIndex('j1.thumbnails.vtt', 'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nj2.thumbnails.jpg#xywh=0,0,1,1\n', urls)).not.toContain('sig=');
    expect(servedThumbnailIndex('j1.mp4', index, urls)).toBe(index);
  });
});
