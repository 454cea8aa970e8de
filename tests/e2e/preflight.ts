/**
 * `npm run test:e2e` runs this first: the browser tests need Debian's Chromium (and the CJK fonts
 * for the Korean pages' screenshots). Without it, say how to install it before building the site,
 * rather than failing every test file one by one.
 */

import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from './support/browser.ts';

if (!existsSync(CHROMIUM_PATH)) {
  process.stderr.write(
    [
      '',
      `Browser tests need Chromium, and there is none at ${CHROMIUM_PATH}.`,
      'Install it (Debian or Ubuntu, as root):',
      '',
      '  apt-get update && apt-get install -y chromium fonts-noto-cjk',
      '',
      'or point CHROMIUM_PATH at a Chromium you have. `npx vitest run` runs the other tests alone.',
      '',
    ].join('\n'),
  );
  process.exit(1);
}
