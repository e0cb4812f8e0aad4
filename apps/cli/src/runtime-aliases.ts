// The built CLI runs as a plain `node` script (npx vrs) from dist/apps/cli/src, so it maps the @vrs/*
// aliases to dist/ itself, as `node -r scripts/runtime/register-aliases.js` does for the services.
import { resolve } from 'node:path';

export const REPOSITORY_ROOT = resolve(__dirname, '../../../..');

// eslint-disable-next-line @typescript-eslint/no-require-imports
require(resolve(REPOSITORY_ROOT, 'scripts/runtime/register-aliases.js'));
