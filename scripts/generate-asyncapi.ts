import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncApiDocument } from '@vrs/contracts';

const target = join(__dirname, '../../docs/asyncapi.json');
writeFileSync(target, JSON.stringify(asyncApiDocument(), null, 2) + '\n');
process.stdout.write(`wrote ${target}\n`);
