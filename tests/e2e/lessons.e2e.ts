/**
 * The first lesson as a learner does it, in Chromium against the real sandbox server (embedded
 * cluster, time ×20): type the seed's commands into the terminal with real key presses and watch
 * the steps turn `passed` without pressing any button; a step must not pass before its own
 * commands have run. Then: the language switch keeps the place and the progress, `<Run>` types and
 * runs its command and copies it, and the passed steps survive a reload and a server restart on
 * the same data folder.
 *
 * The tests share one browser context (one learner) and run in order, each going on from where
 * the previous one left the cluster.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.ts';
import { type SandboxServerProcess, startSandboxServer } from './support/sandbox-server.ts';
import { SITE_DIR } from './support/site.ts';
import { stripAnsi, TerminalTranscript, typeCommand } from './support/terminal.ts';

const LESSON = 'how-rollouts-happen';
const STEP_1 = 'scale-is-not-a-rollout';
const STEP_2 = 'set-image-rollout';
const STEP_3 = 'label-change-rollout';

/** Checks run on a timer and after the terminal goes quiet; a loaded 2-core CI machine is slow. */
const STATUS_TIMEOUT_MS = 30_000;
/** Each test types several commands and waits for rollouts. */
const TEST_TIMEOUT_MS = 180_000;

const HANGUL = /[\uac00-\ud7a3]/;

let server: SandboxServerProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let transcript: TerminalTranscript;
let dataDir: string;
let stateDir: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rl-e2e-data-'));
  stateDir = mkdtempSync(join(tmpdir(), 'rl-e2e-state-'));
  server = await startSandboxServer({ siteDir: SITE_DIR, dataDir, stateDir, timeScale: 20 });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  transcript = new TerminalTranscript(page);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
  for (const dir of [dataDir, stateDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every step's `data-status`, by id. */
function statuses(): Promise<Record<string, string>> {
  return page
    .locator('section[data-step-id]')
    .evaluateAll((els) =>
      Object.fromEntries(els.map((e) => [e.getAttribute('data-step-id'), e.getAttribute('data-status')])),
    );
}

/** Waits until step `id` shows `status`; on timeout says what the page and the terminal show. */
async function waitForStatus(id: string, status: 'passed' | 'failed'): Promise<void> {
  try {
    await page.waitForSelector(`section[data-step-id="${id}"][data-status="${status}"]`, {
      state: 'attached',
      timeout: STATUS_TIMEOUT_MS,
    });
  } catch (error) {
    const message = await page
      .locator(`section[data-step-id="${id}"] [data-step-message]`)
      .textContent()
      .catch(() => '');
    throw new Error(
      `Step ${id} did not turn ${status} within ${STATUS_TIMEOUT_MS / 1000} s. Steps: ${JSON.stringify(
        await statuses(),
      )}; its message: ${message}\nTerminal output (last 2000 characters):\n${stripAnsi(
        transcript.text.slice(-2000),
      )}\n${(error as Error).message}`,
    );
  }
}

/** Opens a lesson page and waits for its terminal to connect and show a prompt. */
async function openLesson(locale: 'ko' | 'en', hash = ''): Promise<void> {
  const before = transcript.text.length;
  await page.goto(`${server.origin}/${locale}/ch09/${LESSON}/${hash}`);
  await waitForTerminal(before);
}

async function waitForTerminal(outputFrom: number): Promise<void> {
  await page.waitForSelector('rl-terminal[data-state="connected"]', { timeout: 60_000 });
  await transcript.until(() => transcript.atPrompt(outputFrom), 'the first prompt', 60_000);
}

/**
 * Clicks a `<Run>` block's button; once the prompt is back, resolves to what the terminal showed
 * from the echoed command line on.
 */
async function clickRun(stepId: string, command: string): Promise<{ shown: string; feedback: string }> {
  const run = page.locator(`#${stepId} rl-run[data-command="${command}"]`);
  await transcript.until(() => transcript.atPrompt(), 'a prompt before Run');
  const start = transcript.text.length;
  await run.locator('[data-action="run"]').click();
  // The click handler says what it did at once, and the note clears itself after 4 s: read it now.
  const feedback = (await run.locator('[data-feedback]').textContent()) ?? '';
  await transcript.until(
    () => transcript.text.slice(start).includes('\r\n') && transcript.atPrompt(start),
    `the prompt after ${command}`,
    60_000,
  );
  return { shown: stripAnsi(transcript.text.slice(start)).replace(/\r/g, ''), feedback };
}

/** The text xterm draws on screen, rows joined by newlines. */
function screenText(): Promise<string> {
  return page.locator('rl-terminal .xterm-rows').evaluate((rows) =>
    Array.from(rows.children)
      .map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n'),
  );
}

describe('the first lesson, typed into the terminal', () => {
  it(
    'ko: step 1 passes after its commands, without a button, and not after the first one alone',
    async () => {
      await openLesson('ko');
      expect(await statuses()).toEqual({ [STEP_1]: 'pending', [STEP_2]: 'pending', [STEP_3]: 'pending' });
      expect(transcript.text).toContain('ch09');

      const applied = await typeCommand(page, transcript, 'kubectl apply -f vweb/');
      expect(applied).toContain('deployment.apps/vweb created');
      expect(await typeCommand(page, transcript, 'kubectl get rs -l app=vweb')).toMatch(
        /vweb-[a-z0-9]+\s+2\s+2\s+\d\s+/,
      );
      // Two replicas, not yet the three of the scale step: judged, and not done.
      await waitForStatus(STEP_1, 'failed');
      expect((await statuses())[STEP_1]).toBe('failed');

      expect(
        await typeCommand(page, transcript, 'kubectl apply -f vweb/update/vweb-v1-scale.yaml'),
      ).toContain('deployment.apps/vweb configured');
      await typeCommand(page, transcript, 'kubectl get rs -l app=vweb');
      expect(await typeCommand(page, transcript, 'kubectl rollout history deploy/vweb')).toMatch(
        /1\s+<none>/,
      );
      await waitForStatus(STEP_1, 'passed');
      expect(await page.locator(`#${STEP_1} .status-label:visible`).textContent()).toBe('완료');
      expect(await page.locator(`[data-step-link="${STEP_1}"]`).getAttribute('data-status')).toBe('passed');
      // The screen shows what was typed, as drawn by xterm.
      expect(await screenText()).toContain('kubectl rollout history deploy/vweb');

      // Step 2's state is not there yet: the checks judge it (failed, with a reason), never passed.
      await waitForStatus(STEP_2, 'failed');
      expect(await page.locator(`#${STEP_2} [data-step-message]`).textContent()).toMatch(HANGUL);
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'ko: step 2 passes after the image change; step 3 stays not done, step 1 stays done',
    async () => {
      expect(
        await typeCommand(page, transcript, 'kubectl set image deployment/vweb web=kiamol/ch09-vweb:v2'),
      ).toContain('deployment.apps/vweb image updated');
      await typeCommand(page, transcript, 'kubectl get rs -l app=vweb');
      expect(
        await typeCommand(page, transcript, 'kubectl rollout status deploy/vweb --timeout=60s', 90_000),
      ).toMatch(/successfully rolled out/);
      expect(await typeCommand(page, transcript, 'kubectl rollout history deploy/vweb')).toMatch(
        /2\s+<none>/,
      );
      await waitForStatus(STEP_2, 'passed');
      await waitForStatus(STEP_3, 'failed');
      expect(await statuses()).toEqual({ [STEP_1]: 'passed', [STEP_2]: 'passed', [STEP_3]: 'failed' });
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'the language switch keeps the lesson, the step in view, and the passed steps',
    async () => {
      await page.evaluate((id) => document.getElementById(id)!.scrollIntoView({ block: 'start' }), STEP_3);
      await page.waitForSelector(`[data-step-link="${STEP_3}"][aria-current="step"]`);
      const before = transcript.text.length;
      await page.click('rl-lang-switch a[hreflang="en"]');
      await page.waitForURL(`**/en/ch09/${LESSON}/#${STEP_3}`);
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await waitForTerminal(before);
      await waitForStatus(STEP_1, 'passed');
      await waitForStatus(STEP_2, 'passed');
      await waitForStatus(STEP_3, 'failed');
      expect(await page.locator(`#${STEP_2} .status-label:visible`).textContent()).toBe('Done');
      // The reason is given in the page's language.
      const reason = (await page.locator(`#${STEP_3} [data-step-message]`).textContent()) ?? '';
      expect(reason.trim()).not.toBe('');
      expect(reason).not.toMatch(HANGUL);
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'en: <Run> types its command into the terminal and runs it, and step 3 passes',
    async () => {
      const apply = 'kubectl apply -f vweb/update/vweb-v11.yaml';
      const applied = await clickRun(STEP_3, apply);
      expect(applied.feedback).toBe('Typed into the terminal');
      expect(applied.shown).toContain(`${apply}\n`);
      expect(applied.shown).toContain('deployment.apps/vweb configured');
      expect(await screenText()).toContain(apply);
      expect((await clickRun(STEP_3, 'kubectl get rs -l app=vweb --show-labels')).shown).toContain(
        'version=v1.1',
      );
      expect((await clickRun(STEP_3, 'kubectl rollout history deploy/vweb')).shown).toMatch(/3\s+<none>/);
      await waitForStatus(STEP_3, 'passed');
      expect(await statuses()).toEqual({ [STEP_1]: 'passed', [STEP_2]: 'passed', [STEP_3]: 'passed' });
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it("<Run>'s Copy puts the command on the clipboard", async () => {
    const command = 'kubectl get po -l app=vweb --show-labels';
    const run = page.locator(`#${STEP_3} rl-run[data-command="${command}"]`);
    await page.evaluate(() => navigator.clipboard.writeText('nothing yet'));
    await run.locator('[data-action="copy"]').click();
    // The note appears once the clipboard took the text, and clears itself 4 s later.
    await run
      .locator('[data-feedback]')
      .filter({ hasText: /^Copied$/ })
      .waitFor({ timeout: 10_000 });
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()), { timeout: 10_000 })
      .toBe(command);
  });

  it(
    'a reload keeps the passed steps, though the cluster has moved on from steps 1 and 2',
    async () => {
      const before = transcript.text.length;
      await page.reload();
      await waitForTerminal(before);
      for (const id of [STEP_1, STEP_2, STEP_3]) await waitForStatus(id, 'passed');
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a server restart on the same data folder keeps the passed steps',
    async () => {
      const port = server.port;
      await server.stop();
      server = await startSandboxServer({ siteDir: SITE_DIR, dataDir, stateDir, timeScale: 20, port });
      const before = transcript.text.length;
      await page.reload();
      // The old session died with the server: the terminal opens a new, empty one.
      await waitForTerminal(before);
      for (const id of [STEP_1, STEP_2, STEP_3]) await waitForStatus(id, 'passed');
      expect(await typeCommand(page, transcript, 'kubectl get deploy')).toMatch(/No resources found/);
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "'Clear my progress' forgets the passed steps on the server: the empty namespace passes none, before and after a reload",
    async () => {
      const dialogs: string[] = [];
      page.once('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.accept();
      });
      await page.locator('[data-action="clear-progress"]').click();
      expect(dialogs[0]).toMatch(/Reset/);
      for (const id of [STEP_1, STEP_2, STEP_3]) await waitForNotPassed(id);
      const progress = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/progress');
      await page.reload();
      expect(await (await progress).json()).toEqual({ steps: {} });
      // The page has the server's (empty) progress; for two seconds after, no step shows passed.
      for (let sample = 0; sample < 8; sample++) {
        for (const id of [STEP_1, STEP_2, STEP_3]) {
          expect(await page.getAttribute(`section[data-step-id="${id}"]`, 'data-status')).not.toBe('passed');
        }
        await page.waitForTimeout(250);
      }
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});

/** Waits until a step's status is anything but passed. */
async function waitForNotPassed(id: string): Promise<void> {
  await page.waitForFunction(
    (stepId) =>
      document.querySelector(`section[data-step-id="${stepId}"]`)?.getAttribute('data-status') !== 'passed',
    id,
    { timeout: 30_000 },
  );
}
