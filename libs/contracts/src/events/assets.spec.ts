import { toFieldIssues } from '../registry';
import { joinJobBody } from './join-requested';
import { renderJobBody } from './rendering';

const issues = (result: { success: boolean; error?: unknown }) => toFieldIssues((result as { error: Parameters<typeof toFieldIssues>[0] }).error);
const template = { id: 't', composition: 'main' };

/** Errors name the caller's own field and say what is expected there. */
describe('asset validation messages', () => {
  it('an audio asset in a join says which types a join takes, and where audio goes', () => {
    const [issue] = issues(
      joinJobBody().safeParse({
        assets: [
          { type: 'video', src: 'https://cdn.example/a.mp4' },
          { type: 'audio', src: 'https://cdn.example/b.mp3' },
        ],
      }),
    );
    expect(issue.field).toBe('assets[1].type');
    expect(issue.message).toMatch(/^"audio" is not an asset type here: use "video" or "job" .*render job/);
  });

  it('a join asset without a type says it is required', () => {
    expect(issues(joinJobBody().safeParse({ assets: [{ src: 'https://cdn.example/a.mp4' }] }))).toEqual([
      { field: 'assets[0].type', message: expect.stringMatching(/^is required: "video" or "job"/) },
    ]);
  });

  it('a nested job without layerName names assets[0].layerName', () => {
    expect(issues(renderJobBody.safeParse({ template, assets: [{ type: 'job', template, assets: [] }] }))).toEqual([
      { field: 'assets[0].layerName', message: 'is required: the name of the template layer this asset replaces' },
    ]);
  });

  it('a data asset with another property, and a media asset without src, name their own fields', () => {
    expect(
      issues(
        renderJobBody.safeParse({
          template,
          assets: [
            { type: 'data', layerName: 'x', property: 'Text', value: 'v' },
            { type: 'image', layerName: 'y' },
          ],
        }),
      ),
    ).toEqual([
      { field: 'assets[0].property', message: 'must be "Source Text" (the property of a text layer that a data asset sets)' },
      { field: 'assets[1].src', message: 'is required: an http(s) URL' },
    ]);
  });

  it('an unknown template asset type lists the types a template takes', () => {
    const [issue] = issues(renderJobBody.safeParse({ template, assets: [{ type: 'font', layerName: 'x' }] }));
    expect(issue).toEqual({
      field: 'assets[0].type',
      message: expect.stringContaining('"font" is not an asset type here: use "image" or "video" or "audio" or "data" or "job"'),
    });
  });
});
