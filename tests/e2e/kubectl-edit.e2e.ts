/**
 * `kubectl edit` round trip in the real product: `npm start`'s server (embedded cluster, the real
 * kubectl) serving the built site, in Debian's Chromium. The learner types `kubectl edit
 * deploy/vweb` into the terminal; the editor panel opens kubectl's file titled `deployment/vweb`;
 * the learner changes the replicas and presses Save; kubectl in the terminal applies it and
 * prints `deployment.apps/vweb edited`, and the cluster has the new count.
 *
 * The new text goes into Monaco as a paste (typing YAML into Monaco would meet its auto-indent).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EditMessage, ServerMessage } from '../../src/protocol/index.ts';
import { launchChromium } from './support/browser.ts';
import { type SandboxServerProcess, startSandboxServer } from './support/sandbox-server.ts';
import { SITE_DIR } from './support/site.ts';

const SCREENSHOT_DIR = process.env.E2E_SCREENSHOT_DIR ?? join(tmpdir(), 'rollout-lab-e2e');
const LESSON = '/en/ch09/how-rollouts-happen/';

let server: SandboxServerProcess | undefined;
let origin = '';
let stateDir = '';
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Every `edit` message the page's terminal socket received. */
const edits: EditMessage[] = [];

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'rl-kubectl-edit-e2e-'));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  server = await startSandboxServer({
    siteDir: SITE_DIR,
    stateDir,
    dataDir: join(stateDir, 'data'),
    timeScale: 10,
  });
  origin = server.origin;
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  page = await context.newPage();
  page.on('websocket', (socket) => {
    socket.on('framereceived', ({ payload }) => {
      const parsed = ServerMessage.safeParse(JSON.parse(String(payload)));
      if (parsed.success && parsed.data.type === 'edit') edits.push(parsed.data);
    });
  });
}, 90_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

/** The terminal's screen as text. */
function terminalText(): Promise<string> {
  return page
    .locator('rl-terminal .xterm-rows')
    .evaluate((rows) =>
      Array.from(rows.children, (row) => (row.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n'),
    );
}

/** Types a command into the terminal as a learner does, then Enter. */
async function typeCommand(command: string): Promise<void> {
  await page.click('rl-terminal .xterm');
  await page.keyboard.type(command, { delay: 5 });
  await page.keyboard.press('Enter');
}

/** The lines Monaco draws (its spaces are no-break spaces). */
async function editorText(): Promise<string> {
  const text = await page.locator('rl-editor .monaco-editor .view-lines').textContent();
  return (text ?? '').replace(/\u00a0/g, ' ');
}

async function waitForTerminal(text: string, timeout = 30_000): Promise<void> {
  await expect.poll(terminalText, { timeout, message: `the terminal to show ${text}` }).toContain(text);
}

describe('kubectl edit in the browser', () => {
  it('opens the Deployment in the editor panel and applies what the learner saves', async () => {
    await page.goto(`${origin}${LESSON}`);
    await page.locator('rl-terminal[data-state="connected"]').waitFor({ timeout: 45_000 });
    await typeCommand('kubectl apply -f vweb/');
    await waitForTerminal('deployment.apps/vweb created');

    await typeCommand('kubectl edit deploy/vweb');
    await expect.poll(() => edits.length, { timeout: 30_000 }).toBeGreaterThan(0);
    const edit = edits.at(-1)!;
    expect(edit.title).toBe('deployment/vweb');

    // The editor panel shows the document, titled with the object.
    const editor = page.locator('rl-editor');
    await expect
      .poll(
        async () =>
          (await editor.isVisible()) && ((await editor.textContent()) ?? '').includes('deployment/vweb'),
        {
          timeout: 30_000,
          message: 'the editor to show deployment/vweb',
        },
      )
      .toBe(true);
    await editor.locator('.monaco-editor').waitFor({ timeout: 30_000 });
    await expect.poll(editorText, { timeout: 15_000 }).toContain('# Please edit the object below.');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'kubectl-edit-open.png') });

    // Change the replicas: replace the whole text by a paste of the edited file.
    const changed = edit.content.replace(/^ {2}replicas: 2$/m, '  replicas: 3');
    expect(changed).not.toBe(edit.content);
    await page.evaluate((text) => navigator.clipboard.writeText(text), changed);
    await editor.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('ControlOrMeta+V');
    // Monaco draws only the lines in view: after the paste the view is at the end of the file.
    await expect.poll(editorText, { timeout: 10_000 }).toContain('updatedReplicas: 2');
    await editor.locator('[data-action="save"]').click();

    await waitForTerminal('deployment.apps/vweb edited');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'kubectl-edit-saved.png') });
    await typeCommand('kubectl get deploy vweb -o custom-columns=WANTED:.spec.replicas');
    await expect
      .poll(async () => /WANTED\s*\n3\s*\n/.test(await terminalText()), {
        timeout: 15_000,
        message: 'the Deployment to want 3 replicas',
      })
      .toBe(true);
  });
});
