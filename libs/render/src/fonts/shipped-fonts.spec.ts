import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FONT_NAMES, fontFilePath, shippedFontsDir } from './shipped-fonts';

describe('shipped fonts', () => {
  it('every font a template may name is a real file next to its licence', () => {
    for (const name of FONT_NAMES) expect(statSync(fontFilePath(name)).size).toBeGreaterThan(100_000);
    expect(existsSync(join(shippedFontsDir(), 'DejaVu-LICENSE.txt'))).toBe(true);
  });
});
