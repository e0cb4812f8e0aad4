import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncApiDocument } from './asyncapi';
import { validateEvent } from './registry';

describe('published event contracts', () => {
  it('docs/asyncapi.json is up to date with the schemas (regenerate: npm run docs:asyncapi)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '../../../docs/asyncapi.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(asyncApiDocument())));
  });

  it('accepts a minimal join.requested from an outside producer and names bad fields', () => {
    expect(validateEvent('join.requested', { schemaVersion: 1, tenantId: 't', assets: [{ type: 'video', src: 'https://x/a.mp4' }] }).ok).toBe(true);
    const bad = validateEvent('join.requested', { schemaVersion: 2, tenantId: 't', assets: [{ type: 'video', src: 'file:///etc/passwd' }] });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.issues.map((i) => i.field)).toEqual(expect.arrayContaining(['schemaVersion', 'assets[0].src']));
  });
});
