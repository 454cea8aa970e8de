/**
 * `npm start` runs this first: builds the lesson site into dist/ when it is missing or older than
 * its sources (src/, content/lessons/, astro.config.mjs), so a fresh clone needs only
 * `npm install` and `npm start`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const SOURCES = ['src', 'content/lessons', 'astro.config.mjs', 'public'];

/** The newest modification time under a path (a file, or a folder walked recursively). */
function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

const built = resolve(ROOT, 'dist/index.html');
const sourcesChanged = Math.max(...SOURCES.map((s) => newestChange(resolve(ROOT, s))));
if (existsSync(built) && statSync(built).mtimeMs >= sourcesChanged) {
  process.exit(0);
}
process.stdout.write(
  existsSync(built)
    ? 'The lessons changed: rebuilding the site…\n'
    : 'Building the lesson site (first start)…\n',
);
const result = spawnSync(resolve(ROOT, 'node_modules/.bin/astro'), ['build', '--silent'], {
  cwd: ROOT,
  stdio: 'inherit',
});
if (result.status !== 0) {
  process.stderr.write(
    'error: the site did not build; the messages above say why. The API and terminal still start.\n',
  );
}
