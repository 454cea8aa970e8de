/**
 * Page weight: the JavaScript a lesson page makes the browser load, compressed, measured in
 * Debian's Chromium against the real server (`sandbox/server/main.ts`, embedded cluster) serving
 * the built site. Three figures, each the sum over every script the page fetched (workers
 * included), gzip -9 and brotli of the bytes as served:
 *
 * 1. the home page's first load: the baseline, measured in the same run;
 * 2. a lesson page's first load, after the terminal has connected (the budget: under 300 KB
 *    compressed, and no Monaco code);
 * 3. what opening the editor tab adds (Monaco, its YAML worker and editor worker).
 *
 *   npm run build && npm run bench:page      # BENCH_SITE_DIR=... for another build
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..');
const SITE_DIR = resolve(process.env.BENCH_SITE_DIR ?? join(ROOT, 'dist'));
const LESSON = '/en/ch09/how-rollouts-happen/';
const BUDGET_BYTES = 300 * 1024;
/** Chunks that belong to the editor: Monaco's bundle and its workers. */
const MONACO_CHUNK = /\/_astro\/(workbench|editor\.worker|yaml\.worker)[^/]*\.js$/;

interface Script {
  url: string;
  raw: number;
  gzip: number;
  brotli: number;
}

/** The scripts a page's context received so far, and a wait for the bodies still being read. */
interface Recorder {
  scripts: Script[];
  settle(): Promise<void>;
}

/** Records every JavaScript response (workers' scripts included) with its compressed sizes. */
function recordScripts(page: Page): Recorder {
  const scripts: Script[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    const type = response.headers()['content-type'] ?? '';
    if (!type.includes('javascript')) return;
    pending.push(
      response
        .body()
        .then((body) => {
          scripts.push({
            url: response.url(),
            raw: body.length,
            gzip: gzipSync(body, { level: 9 }).length,
            brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
          });
        })
        .catch(() => {}),
    );
  });
  return {
    scripts,
    settle: async () => {
      await Promise.all(pending);
    },
  };
}

function sum(scripts: readonly Script[]): { count: number; raw: number; gzip: number; brotli: number } {
  return {
    count: scripts.length,
    raw: scripts.reduce((n, s) => n + s.raw, 0),
    gzip: scripts.reduce((n, s) => n + s.gzip, 0),
    brotli: scripts.reduce((n, s) => n + s.brotli, 0),
  };
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

function startServer(stateDir: string): Promise<{ origin: string; child: ChildProcess }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'sandbox/server/main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: '0',
        SANDBOX_SITE_DIR: SITE_DIR,
        SANDBOX_STATE_DIR: stateDir,
        SANDBOX_DATA_DIR: join(stateDir, 'data'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 60_000);
    const read = (chunk: Buffer): void => {
      output += String(chunk);
      const match = /running at (http:\/\/[^\s/]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ origin: match[1]!, child });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}):\n${output}`));
    });
  });
}

const stateDir = mkdtempSync(join(tmpdir(), 'rl-bench-page-'));
const { origin, child } = await startServer(stateDir);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
  headless: true,
});
try {
  // 1. Baseline: the home page.
  const homeContext = await browser.newContext();
  const home = await homeContext.newPage();
  const homeRecorder = recordScripts(home);
  await home.goto(`${origin}/en/`);
  await home.waitForTimeout(1500);
  await homeRecorder.settle();
  const homeScripts = [...homeRecorder.scripts];
  await homeContext.close();

  // 2. A lesson's first load, with the terminal connected.
  const context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
  const page = await context.newPage();
  const recorder = recordScripts(page);
  const { scripts } = recorder;
  await page.goto(`${origin}${LESSON}`);
  await page.locator('rl-terminal[data-state="connected"]').waitFor({ timeout: 60_000 });
  await page.waitForTimeout(1500);
  await recorder.settle();
  const firstLoad = [...scripts];

  // 3. The learner opens the editor tab.
  await page.click('#tab-editor');
  await page.locator('rl-editor[data-state="ready"]').waitFor({ timeout: 60_000 });
  await page.locator('rl-editor [data-tree] button[data-path="vweb/update/vweb-v1-scale.yaml"]').click();
  await page.locator('rl-editor[data-schema="ready"]').waitFor({ timeout: 60_000 });
  await page.waitForTimeout(2000);
  await recorder.settle();
  const editor = scripts.slice(firstLoad.length);
  await context.close();

  const rows: [string, ReturnType<typeof sum>][] = [
    ['home page, first load (baseline)', sum(homeScripts)],
    ['lesson page, first load', sum(firstLoad)],
    ['opening the editor adds', sum(editor)],
    ['lesson page with the editor open', sum([...firstLoad, ...editor])],
  ];
  console.log(`Page weight: JavaScript fetched, measured in Chromium (${LESSON}, site ${SITE_DIR})\n`);
  console.log(
    `${'what'.padEnd(36)}${'scripts'.padStart(8)}${'raw'.padStart(12)}${'gzip -9'.padStart(12)}${'brotli 11'.padStart(12)}`,
  );
  for (const [label, total] of rows)
    console.log(
      `${label.padEnd(36)}${String(total.count).padStart(8)}${kb(total.raw).padStart(12)}${kb(total.gzip).padStart(12)}${kb(total.brotli).padStart(12)}`,
    );
  const firstTotal = sum(firstLoad);
  const monacoOnFirstLoad = firstLoad.filter((s) => MONACO_CHUNK.test(s.url)).map((s) => s.url);
  console.log('');
  console.log(
    `budget: first load ${kb(firstTotal.gzip)} gzip of ${kb(BUDGET_BYTES)} (${firstTotal.gzip <= BUDGET_BYTES ? 'within' : 'OVER'}); ` +
      `lesson minus home: ${kb(firstTotal.gzip - sum(homeScripts).gzip)} gzip`,
  );
  console.log(
    `Monaco on first load: ${monacoOnFirstLoad.length === 0 ? 'none' : monacoOnFirstLoad.join(', ')}; ` +
      `editor chunks fetched on opening: ${editor
        .filter((s) => MONACO_CHUNK.test(s.url))
        .map((s) => `${s.url.split('/').at(-1)} ${kb(s.gzip)}`)
        .join(', ')}`,
  );
  console.log('\nlargest scripts of the first load (gzip):');
  for (const s of [...firstLoad].sort((a, b) => b.gzip - a.gzip).slice(0, 6))
    console.log(`  ${kb(s.gzip).padStart(10)}  ${s.url.replace(origin, '')}`);
} finally {
  await browser.close();
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
  rmSync(stateDir, { recursive: true, force: true });
}
