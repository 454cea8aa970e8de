/**
 * The manifest editor in the real product: `npm start`'s server (embedded cluster, the real
 * kubectl) serving the built site, in Debian's Chromium.
 *
 * - The first load of a lesson fetches no Monaco code; opening the editor tab does.
 * - The learner opens `vweb/update/vweb-v1-scale.yaml` from the file list; `replicas: three` is
 *   marked by the schema before anything is applied; fixed, saved and applied, the command
 *   appears in the terminal, the file on disk has the edit, the step passes and the live view
 *   shows 3 pods.
 * - A file changed on disk after it was opened is not overwritten silently: the save meets a 412
 *   and the learner picks reload or overwrite.
 * - `<Open file line>` in the lesson text opens the file at the line; an unsaved draft survives a
 *   reload and is offered back.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.ts';
import { type SandboxServerProcess, startSandboxServer } from './support/sandbox-server.ts';
import { SITE_DIR } from './support/site.ts';

const SCREENSHOT_DIR = process.env.E2E_SCREENSHOT_DIR ?? join(tmpdir(), 'rollout-lab-e2e');
const LESSON = '/en/ch09/how-rollouts-happen/';
const SCALE_FILE = 'vweb/update/vweb-v1-scale.yaml';
/** Chunks that only the editor needs: Monaco's bundle and its workers. */
const MONACO_CHUNK = /\/_astro\/(workbench|editor\.worker|yaml\.worker|codicon)[^/]*$/;

let server: SandboxServerProcess | undefined;
let origin = '';
let stateDir = '';
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'rl-editor-e2e-'));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  server = await startSandboxServer({
    siteDir: SITE_DIR,
    stateDir,
    dataDir: join(stateDir, 'data'),
    timeScale: 10,
  });
  origin = server.origin;
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
}, 90_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

/** The terminal's screen as text. */
function terminalText(page: Page): Promise<string> {
  return page
    .locator('rl-terminal .xterm-rows')
    .evaluate((rows) =>
      Array.from(rows.children, (row) => (row.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n'),
    );
}

/** The session's copy of a workdir file on the server's disk. */
async function readWorkdirFile(page: Page, path: string): Promise<string> {
  const sessionId = await page.evaluate(() => localStorage.getItem('rollout-lab:session'));
  return readFileSync(join(stateDir, 'sessions', sessionId!, 'ch09', path), 'utf8');
}

async function writeWorkdirFile(page: Page, path: string, content: string): Promise<void> {
  const sessionId = await page.evaluate(() => localStorage.getItem('rollout-lab:session'));
  writeFileSync(join(stateDir, 'sessions', sessionId!, 'ch09', path), content);
}

/** The text Monaco shows (its spaces are no-break spaces in the DOM). */
function editorText(page: Page): Promise<string> {
  return page
    .locator('rl-editor .monaco-editor .view-lines')
    .evaluate((lines) => (lines.textContent ?? '').replace(/\u00a0/g, ' '));
}

/** Monaco's error and warning squiggles in the editor panel. */
function squiggles(page: Page): Promise<number> {
  return page.locator('rl-editor .monaco-editor [class*="squiggly-"]').count();
}

/** Puts the cursor at the end of a 1-based line of the shown document. */
async function goToLineEnd(page: Page, line: number): Promise<void> {
  await page.locator('rl-editor .monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+Home');
  for (let i = 1; i < line; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
}

/** Opens a lesson in a fresh page and waits for the terminal's session. */
async function openLesson(): Promise<{ page: Page; requests: string[] }> {
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  // Start on the live view tab, as a first visit does (the tabs remember the last one shown).
  await page.addInitScript(() =>
    localStorage.setItem('rollout-lab:workspace', JSON.stringify({ panel: 'live', collapsed: false })),
  );
  await page.goto(`${origin}${LESSON}`);
  await page.locator('rl-terminal[data-state="connected"]').waitFor({ timeout: 45_000 });
  return { page, requests };
}

// Each test waits on a real cluster and kubectl; on a loaded 2-core machine that can take minutes.
describe('manifest editor', { timeout: 180_000 }, () => {
  it('marks replicas: three before apply, then saves, applies and passes the step', async () => {
    const { page, requests } = await openLesson();
    await page.waitForTimeout(1000);
    // First load: no Monaco, and the editor element is idle.
    expect(requests.filter((url) => MONACO_CHUNK.test(url))).toEqual([]);
    expect(await page.locator('rl-editor').getAttribute('data-state')).toBe('idle');

    await page.locator('rl-run[data-command="kubectl apply -f vweb/"] [data-action="run"]').click();
    await expect
      .poll(() => terminalText(page), { timeout: 30_000 })
      .toContain('deployment.apps/vweb created');

    // The learner opens the editor tab: now Monaco loads.
    await page.click('#tab-editor');
    await page.locator('rl-editor[data-state="ready"]').waitFor({ timeout: 30_000 });
    expect(requests.some((url) => /\/_astro\/workbench[^/]*\.js$/.test(url))).toBe(true);
    const fileButton = page.locator(`rl-editor [data-tree] button[data-path="${SCALE_FILE}"]`);
    await fileButton.waitFor({ timeout: 30_000 });
    await fileButton.click();
    await expect.poll(() => editorText(page), { timeout: 15_000 }).toContain('replicas: 3');
    await page.locator('rl-editor[data-schema="ready"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => squiggles(page), { timeout: 5_000 }).toBe(0);
    expect(await page.locator('rl-editor [data-current-path]').textContent()).toBe(SCALE_FILE);

    // replicas: three is marked by the schema, before anything is applied.
    await goToLineEnd(page, 10);
    await page.keyboard.press('Backspace');
    await page.keyboard.type('three');
    await expect.poll(() => squiggles(page), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.locator('rl-editor').getAttribute('data-dirty')).toBe('true');
    expect(
      await page
        .locator(`rl-editor [data-tree] button[data-path="${SCALE_FILE}"]`)
        .getAttribute('data-dirty'),
    ).toBe('true');
    // The hover names the problem and the field's description from the cluster's schema.
    await page.locator('rl-editor .monaco-editor [class*="squiggly-"]').first().hover({ force: true });
    const hover = page
      .locator('rl-editor .monaco-hover, .monaco-hover')
      .filter({ hasText: 'integer' })
      .first();
    await expect.poll(() => hover.textContent(), { timeout: 10_000 }).toMatch(/Expected "integer"/);
    expect(await hover.textContent()).toMatch(/Number of desired pods/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'editor-schema-error.png') });
    await page.keyboard.press('Escape');

    // Fixed to 3, with a note on the first line, then Save with the keyboard.
    for (let i = 0; i < 'three'.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('3');
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.type('# scaled in the editor\n');
    await expect.poll(() => squiggles(page), { timeout: 15_000 }).toBe(0);
    await page.keyboard.press('ControlOrMeta+S');
    await expect.poll(() => page.locator('rl-editor').getAttribute('data-dirty')).toBe('false');
    const onDisk = await readWorkdirFile(page, SCALE_FILE);
    expect(onDisk.startsWith('# scaled in the editor\n')).toBe(true);
    expect(onDisk).toContain('  replicas: 3\n');

    // Apply types the command into the terminal, where the learner sees it run.
    await page.locator('rl-editor [data-action="apply"]').click();
    await expect
      .poll(() => terminalText(page), { timeout: 30_000 })
      .toContain(`kubectl apply -f ${SCALE_FILE}`);
    await expect
      .poll(() => terminalText(page), { timeout: 30_000 })
      .toContain('deployment.apps/vweb configured');
    await page
      .locator('[data-step-id="scale-is-not-a-rollout"][data-status="passed"]')
      .waitFor({ timeout: 45_000 });

    // The live view shows the three pods.
    await page.click('#tab-live');
    await expect
      .poll(() => page.locator('#panel-live [data-pod-row].lv-pod-ready').count(), { timeout: 45_000 })
      .toBe(3);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'editor-applied.png') });
    await page.close();
  });

  it('refuses to overwrite a file changed on disk: reload from disk or overwrite', async () => {
    const { page } = await openLesson();
    await page.click('#tab-editor');
    const fileButton = page.locator('rl-editor [data-tree] button[data-path="vweb/vweb-v1.yaml"]');
    await fileButton.waitFor({ timeout: 30_000 });
    await fileButton.click();
    await expect.poll(() => editorText(page), { timeout: 15_000 }).toContain('replicas: 2');
    const original = await readWorkdirFile(page, 'vweb/vweb-v1.yaml');

    // The learner's sed in the terminal, as far as the file is concerned.
    await writeWorkdirFile(page, 'vweb/vweb-v1.yaml', original.replace('replicas: 2', 'replicas: 4'));
    await page.locator('rl-editor .monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.type('# mine\n');
    await page.locator('rl-editor [data-action="save"]').click();
    const banner = page.locator('rl-editor [data-conflict-banner]');
    await banner.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await banner.textContent()).toMatch(/changed on disk/);
    expect(await readWorkdirFile(page, 'vweb/vweb-v1.yaml')).toContain('replicas: 4');
    expect(await page.locator('rl-editor').getAttribute('data-dirty')).toBe('true');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'editor-conflict.png') });

    // Reload from disk: the disk's text, the draft dropped.
    await banner.locator('[data-action="reload-disk"]').click();
    await banner.waitFor({ state: 'hidden', timeout: 10_000 });
    await expect.poll(() => editorText(page)).toContain('replicas: 4');
    expect(await page.locator('rl-editor').getAttribute('data-dirty')).toBe('false');

    // Again, and this time overwrite.
    await writeWorkdirFile(page, 'vweb/vweb-v1.yaml', original);
    await page.locator('rl-editor .monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.type('# mine\n');
    await page.keyboard.press('ControlOrMeta+S');
    await banner.waitFor({ state: 'visible', timeout: 10_000 });
    await banner.locator('[data-action="overwrite"]').click();
    await banner.waitFor({ state: 'hidden', timeout: 10_000 });
    const written = await readWorkdirFile(page, 'vweb/vweb-v1.yaml');
    expect(written.startsWith('# mine\n')).toBe(true);
    expect(written).toContain('replicas: 4');
    await page.close();
  });

  it('<Open> opens the file at its line, and an unsaved draft survives a reload', async () => {
    const { page, requests } = await openLesson();
    await page.waitForTimeout(500);
    expect(requests.filter((url) => MONACO_CHUNK.test(url))).toEqual([]);
    const before = requests.length;
    await page.locator(`rl-open[data-file="${SCALE_FILE}"] button`).click();
    await page.locator('rl-editor[data-state="ready"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#panel-editor').isVisible()).toBe(true);
    expect(requests.slice(before).some((url) => MONACO_CHUNK.test(url))).toBe(true);
    await expect.poll(() => editorText(page), { timeout: 15_000 }).toContain('replicas');
    // The cursor is on line 10 (Monaco marks the current line number).
    await expect
      .poll(() => page.locator('rl-editor .monaco-editor .line-numbers.active-line-number').textContent())
      .toBe('10');

    // An edit not saved: kept as a draft, the page asks before leaving, and offers it back.
    await page.keyboard.type('# draft\n');
    await expect.poll(() => page.locator('rl-editor').getAttribute('data-dirty')).toBe('true');
    const asked = new Promise<string>((resolve) =>
      page.once('dialog', (dialog) => {
        resolve(dialog.type());
        void dialog.accept();
      }),
    );
    await page.reload();
    expect(await asked).toBe('beforeunload');
    await page.locator('rl-terminal[data-state="connected"]').waitFor({ timeout: 45_000 });
    await page.locator(`rl-open[data-file="${SCALE_FILE}"] button`).click();
    const draftBanner = page.locator('rl-editor [data-draft-banner]');
    await draftBanner.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await draftBanner.textContent()).toContain(SCALE_FILE);
    await draftBanner.locator('[data-action="restore-draft"]').click();
    await expect.poll(() => editorText(page)).toContain('# draft');
    expect(await page.locator('rl-editor').getAttribute('data-dirty')).toBe('true');
    await page.close();
  });
});
