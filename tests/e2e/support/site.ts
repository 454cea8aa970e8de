/**
 * Where the built site is. `E2E_SITE_DIR` lets a test run use its own build (several people may
 * build at once, and `npm run build` replaces `dist/` while a server reads it); `npm run test:e2e`
 * builds into `dist/` and uses that.
 */

import { resolve } from 'node:path';

/** The repository's root folder. */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');

/** The built site the browser tests serve. */
export const SITE_DIR = resolve(process.env.E2E_SITE_DIR ?? resolve(REPO_ROOT, 'dist'));
