import { joinJobBody, joinRequested } from '../events/join-requested';
import { replaceUploadSources, replaceUploadSourcesInJoin, uploadSourcesIn, uploadSourcesInJoin } from './upload-sources';
import { createUploadBody, uploadIdIn } from './uploads';

const ID = '0b6a3c52-1f0e-4f7e-9a51-6f1c5e1b2a3d';
const OTHER = '9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f';

describe('upload:// sources', () => {
  const assets = [
    { type: 'video', src: `upload://${ID}` },
    { type: 'video', src: 'https://cdn.example/b.mp4' },
    {
      type: 'job',
      template: { id: 't', composition: 'main' },
      assets: [
        { type: 'image', layerName: 'logo', src: `upload://${OTHER}` },
        { type: 'data', layerName: 'n', property: 'Source Text', value: 'x' },
      ],
    },
  ];

  it('finds them at any depth, with the path of their field', () => {
    expect(uploadSourcesIn(assets)).toEqual([
      { path: ['assets', 0, 'src'], uploadId: ID },
      { path: ['assets', 2, 'assets', 0, 'src'], uploadId: OTHER },
    ]);
  });

  it('replaces them and nothing else, without touching the input', () => {
    const replaced = replaceUploadSources(assets, (id) => `https://gw/uploads/${id}`);
    expect(replaced[0]).toEqual({ type: 'video', src: `https://gw/uploads/${ID}` });
    expect(replaced[1]).toEqual(assets[1]);
    expect((replaced[2] as any).assets[0].src).toBe(`https://gw/uploads/${OTHER}`);
    expect((replaced[2] as any).assets[1]).toEqual(assets[2].assets![1]);
    expect(assets[0].src).toBe(`upload://${ID}`);
  });

  it("include a join's soundtrack, replaced beside its clips", () => {
    const body = { assets: [assets[0]], settings: { soundtrack: { src: `upload://${OTHER}`, volume: 0.5 } } };
    expect(uploadSourcesInJoin(body)).toEqual([
      { path: ['assets', 0, 'src'], uploadId: ID },
      { path: ['settings', 'soundtrack', 'src'], uploadId: OTHER },
    ]);
    const replaced = replaceUploadSourcesInJoin(body, (id) => `https://gw/uploads/${id}`);
    expect(replaced).toEqual({
      assets: [{ type: 'video', src: `https://gw/uploads/${ID}` }],
      settings: { soundtrack: { src: `https://gw/uploads/${OTHER}`, volume: 0.5 } },
    });
    expect(replaceUploadSourcesInJoin({ assets: [assets[1]] }, () => 'x')).toEqual({ assets: [assets[1]] });
  });

  it('accepts only a uuid after upload:// (no path reaches a storage key)', () => {
    expect(uploadIdIn(`upload://${ID}`)).toBe(ID);
    for (const bad of [`upload://${ID}/x`, 'upload://../../outputs/a.mp4', `upload://${ID.toUpperCase()}`, `file://${ID}`])
      expect(uploadIdIn(bad)).toBeUndefined();
    const parsed = joinJobBody().safeParse({ assets: [{ type: 'video', src: 'upload://../x' }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['assets', 0, 'src'], message: expect.stringContaining('upload://') });
  });

  it('are refused on the join.requested topic, which only the HTTP API resolves them for', () => {
    const parsed = joinRequested.safeParse({ schemaVersion: 1, tenantId: 't', assets: [{ type: 'video', src: `upload://${ID}` }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['assets', 0, 'src'], message: expect.stringContaining('HTTP API') });
  });

  it('are announced with a media type and a size', () => {
    expect(createUploadBody.safeParse({ filename: 'a.mp4', contentType: 'video/mp4', size: 1 }).success).toBe(true);
    for (const bad of [{ contentType: 'text/html' }, { contentType: 'video/' }, { size: 0 }, { size: 1.5 }, { filename: '../a.mp4' }]) {
      expect(createUploadBody.safeParse({ filename: 'a.mp4', contentType: 'video/mp4', size: 1, ...bad }).success).toBe(false);
    }
  });
});
