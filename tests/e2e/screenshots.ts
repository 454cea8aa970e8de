/**
 * Screenshots to look at, not a test: the home page, both course overviews and the first lesson,
 * in Korean and English, light and dark, normal and large-font (projector) mode, on a laptop
 * (1280×800) and a phone (390×844), and the phone's workspace below the lesson. The lesson is shown as a learner sees it mid-way: the real
 * sandbox server behind it, step 1's commands typed into the terminal, step 1 done and the next
 * steps saying what is still different.
 *
 *   node tests/e2e/screenshots.ts [out-dir]      (default: $TMPDIR/rollout-lab-screenshots)
 *
 * Reads the built site from E2E_SITE_DIR (default dist/).
 */

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from './support/browser.ts';
import { startSandboxServer } from './support/sandbox-server.ts';
import { SITE_DIR } from './support/site.ts';
import { TerminalTranscript, typeCommand } from './support/terminal.ts';

const OUT = resolve(process.argv[2] ?? join(tmpdir(), 'rollout-lab-screenshots'));
const LESSON = 'how-rollouts-happen';
const VIEWPORTS = {
  laptop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

const dataDir = mkdtempSync(join(tmpdir(), 'rl-shots-data-'));
const stateDir = mkdtempSync(join(tmpdir(), 'rl-shots-state-'));
mkdirSync(OUT, { recursive: true });
const server = await startSandboxServer({ siteDir: SITE_DIR, dataDir, stateDir, timeScale: 20 });
const browser = await launchChromium();
const shots: string[] = [];
const notes: string[] = [];

try {
  const context = await browser.newContext({ viewport: VIEWPORTS.laptop });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const transcript = new TerminalTranscript(page);

  // One learner: do step 1 so the lesson shows a done step and steps that are not there yet.
  await page.goto(`${server.origin}/ko/ch09/${LESSON}/`);
  await page.waitForSelector('rl-terminal[data-state="connected"]', { timeout: 60_000 });
  for (const command of [
    'kubectl apply -f vweb/',
    'kubectl apply -f vweb/update/vweb-v1-scale.yaml',
    'kubectl rollout status deploy/vweb',
    'kubectl get rs -l app=vweb',
  ])
    await typeCommand(page, transcript, command);
  await page.waitForSelector('section[data-step-id="scale-is-not-a-rollout"][data-status="passed"]', {
    timeout: 60_000,
  });

  for (const [device, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    for (const theme of ['light', 'dark'] as const) {
      for (const projector of ['off', 'on'] as const) {
        await page.evaluate(
          (settings) => {
            localStorage.setItem('rollout-lab:theme', settings.theme);
            localStorage.setItem('rollout-lab:projector', settings.projector);
          },
          { theme, projector },
        );
        const suffix = `${device}-${theme}${projector === 'on' ? '-large' : ''}`;
        if (projector === 'off') await shoot(page, '/', `home-${suffix}`);
        for (const locale of ['ko', 'en'] as const) {
          if (projector === 'off' || device === 'laptop')
            await shoot(page, `/${locale}/`, `overview-${locale}-${suffix}`);
          await shoot(
            page,
            `/${locale}/ch09/${LESSON}/#scale-is-not-a-rollout`,
            `lesson-${locale}-${suffix}`,
          );
        }
      }
    }
  }
  // On a phone the workspace (tools and terminal) follows the lesson text.
  await page.setViewportSize(VIEWPORTS.phone);
  for (const projector of ['off', 'on'] as const) {
    await page.evaluate((p) => {
      localStorage.setItem('rollout-lab:theme', 'light');
      localStorage.setItem('rollout-lab:projector', p);
    }, projector);
    for (const locale of ['ko', 'en'] as const)
      await shoot(
        page,
        `/${locale}/ch09/${LESSON}/#workspace`,
        `workspace-${locale}-phone-light${projector === 'on' ? '-large' : ''}`,
      );
  }
  if (errors.length > 0) throw new Error(`Script errors on the pages:\n${errors.join('\n')}`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
}
process.stdout.write(`${shots.length} screenshots in ${OUT}:\n${shots.map((s) => `  ${s}\n`).join('')}`);
for (const note of notes) process.stdout.write(`note: ${note}\n`);

async function shoot(page: Page, path: string, name: string): Promise<void> {
  await page.goto(server.origin + path);
  await page.evaluate(() => document.fonts.ready);
  if (path.includes('/ch09/')) {
    // On a phone the terminal sits below the lesson and starts only when scrolled to.
    const terminalInView = await page
      .locator('rl-terminal')
      .evaluate((el) => el.getBoundingClientRect().top < innerHeight + 200);
    if (terminalInView) {
      await page.waitForSelector('rl-terminal[data-state="connected"]', { timeout: 60_000 });
    }
    await page
      .waitForSelector('section[data-step-id][data-status="passed"]', { timeout: 20_000 })
      .catch(() => notes.push(`${name}: no step shown passed within 20 s`));
  }
  // Step messages appear once the checks answer and push what follows down: bring the anchor
  // back to the top, then wait until the page has stood still for half a second (anchors scroll
  // smoothly).
  const hash = new URL(path, server.origin).hash.slice(1);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (hash)
      await page.evaluate((id) => document.getElementById(id)?.scrollIntoView({ block: 'start' }), hash);
    await page.waitForFunction(
      () => {
        const w = window as unknown as { shotY?: number; still?: number };
        w.still = w.shotY === scrollY ? (w.still ?? 0) + 1 : 0;
        w.shotY = scrollY;
        return w.still >= 5;
      },
      undefined,
      { polling: 100 },
    );
    const settled = await page.evaluate((id) => {
      const top = id ? (document.getElementById(id)?.getBoundingClientRect().top ?? 0) : 0;
      // At the anchor, or as far down as the page goes.
      return Math.abs(top) < 120 || innerHeight + scrollY >= document.documentElement.scrollHeight - 1;
    }, hash);
    if (settled) break;
  }
  if (path.includes('/ch09/') && (await page.locator('rl-terminal[data-state="connected"]').count()) > 0) {
    // Let xterm draw the replayed output down to the prompt.
    await page
      .waitForFunction(
        () => {
          const rows = Array.from(document.querySelectorAll('rl-terminal .xterm-rows > div'), (r) =>
            (r.textContent ?? '').trimEnd(),
          ).filter((r) => r !== '');
          return rows.at(-1)?.endsWith('$') ?? false;
        },
        undefined,
        { timeout: 15_000 },
      )
      .catch(() => {
        notes.push(`${name}: the terminal's view stopped above its last line (the prompt is not shown)`);
      });
  }
  const file = join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  shots.push(`${name}.png`);
}
