/**
 * The live view against the real product: `npm start`'s server (embedded cluster, time scale 10,
 * the real kubectl) serving the built site, in Debian's Chromium. The learner types the seed
 * exercise into the terminal — `kubectl apply -f vweb/`, the scale file, then
 * `kubectl set image deployment/vweb web=kiamol/ch09-vweb:v2` — and the test records every state
 * the live view draws while the rollout runs.
 *
 * What must hold: the old ReplicaSet goes down to 0 while the new one goes up to 3, and the states
 * shown are the Deployment controller's own steps in its order. The controller's steps are read at
 * the end from its ScalingReplicaSet events. The view may skip a step (the server coalesces changes
 * that land within 100 ms), but it must never show a state the controller did not pass through,
 * nor show them out of order.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseKubectlBinary, discoverKubectls } from '../../sandbox/server/kubectl-binary.ts';
import { launchChromium } from './support/browser.ts';
import { type SandboxServerProcess, startSandboxServer } from './support/sandbox-server.ts';
import { SITE_DIR } from './support/site.ts';

const SCREENSHOT_DIR = process.env.E2E_SCREENSHOT_DIR ?? join(tmpdir(), 'rollout-lab-e2e');
const LESSON = '/en/ch09/how-rollouts-happen/';
const run = promisify(execFile);

const kubectl = (() => {
  const found = discoverKubectls(process.env);
  return chooseKubectlBinary(found.versioned, 32, found.onPath);
})();

/** One state of the vweb ReplicaSets as the live view drew it: revision → desired. */
type Drawn = Record<string, number>;

let server: SandboxServerProcess | undefined;
let origin = '';
let stateDir = '';
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'rl-live-view-e2e-'));
  server = await startSandboxServer({
    siteDir: SITE_DIR,
    stateDir,
    dataDir: join(stateDir, 'data'),
    timeScale: 10,
  });
  origin = server.origin;
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
}, 90_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

/** Types a command into the terminal as a learner does, then Enter. */
async function typeCommand(command: string): Promise<void> {
  await page.click('rl-terminal .xterm');
  await page.keyboard.type(command, { delay: 5 });
  await page.keyboard.press('Enter');
}

/** Waits until the live view shows the vweb ReplicaSets with these desired/ready counts by revision. */
async function waitForDrawn(
  expected: Record<string, { desired: number; ready: number }>,
  timeout = 60_000,
): Promise<void> {
  await page.waitForFunction(
    (want) => {
      const rows = Array.from(
        document.querySelectorAll<HTMLElement>('rl-live-view [data-deployment="vweb"] tr[data-rs]'),
      );
      return Object.entries(want).every(([revision, counts]) =>
        rows.some(
          (row) =>
            row.dataset.revision === revision &&
            Number(row.dataset.desired) === counts.desired &&
            Number(row.dataset.ready) === counts.ready,
        ),
      );
    },
    expected,
    { timeout, polling: 100 },
  );
}

/** The states the controller went through, from its ScalingReplicaSet events, oldest first. */
function controllerStates(
  events: { message: string }[],
  names: { old: string; new: string },
  start: Drawn,
): Drawn[] {
  const states: Drawn[] = [{ ...start }];
  const current = { ...start };
  for (const { message } of events) {
    const match = /Scaled (?:up|down) replica set (\S+) (?:from (\d+) to (\d+)|to (\d+) from (\d+))/.exec(
      message,
    );
    if (!match) continue;
    const [, name] = match;
    const to = Number(match[3] ?? match[4]);
    const revision = name === names.old ? '1' : name === names.new ? '2' : undefined;
    if (!revision) continue;
    current[revision] = to;
    states.push({ ...current });
  }
  return states;
}

const key = (state: Drawn): string => `${state['1'] ?? 0}/${state['2'] ?? 0}`;

describe('live view', () => {
  it('follows the seed rollout: the old ReplicaSet shrinks to 0 while the new one grows to 3, in the controller’s order', async () => {
    await page.goto(`${origin}${LESSON}`);
    await page.waitForSelector('rl-terminal[data-state="connected"]', { timeout: 30_000 });
    await page.waitForSelector('rl-live-view[data-state="live"]', { timeout: 30_000 });
    expect(await page.locator('rl-live-view .lv-empty').textContent()).toContain(
      'No workloads in your namespace yet',
    );

    await typeCommand('kubectl apply -f vweb/');
    await waitForDrawn({ '1': { desired: 2, ready: 2 } });
    await typeCommand('kubectl apply -f vweb/update/vweb-v1-scale.yaml');
    await waitForDrawn({ '1': { desired: 3, ready: 3 } });

    // From here on, every state the view draws is recorded, as the DOM changes.
    await page.evaluate(() => {
      const seen: Record<string, number>[] = [];
      const record = (): void => {
        const rows = Array.from(
          document.querySelectorAll<HTMLElement>('rl-live-view [data-deployment="vweb"] tr[data-rs]'),
        );
        const state = Object.fromEntries(
          rows.map((row) => [row.dataset.revision ?? '', Number(row.dataset.desired)]),
        );
        const last = seen.at(-1);
        if (!last || JSON.stringify(last) !== JSON.stringify(state)) seen.push(state);
      };
      record();
      new MutationObserver(record).observe(document.querySelector('rl-live-view')!, {
        childList: true,
        subtree: true,
        attributes: true,
      });
      (window as unknown as { drawn: typeof seen }).drawn = seen;
    });
    const started = Date.now();
    await typeCommand('kubectl set image deployment/vweb web=kiamol/ch09-vweb:v2');
    // A picture mid-rollout, when both ReplicaSets have pods (best effort: only for looking at).
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page
      .waitForFunction(
        () =>
          Array.from(
            document.querySelectorAll<HTMLElement>('rl-live-view [data-deployment="vweb"] tr[data-rs]'),
          ).filter((row) => Number(row.dataset.current) > 0).length === 2,
        undefined,
        { timeout: 20_000, polling: 50 },
      )
      .then(() => page.screenshot({ path: resolve(SCREENSHOT_DIR, 'live-view-mid-rollout.png') }))
      .catch(() => undefined);
    await waitForDrawn({ '1': { desired: 0, ready: 0 }, '2': { desired: 3, ready: 3 } });
    const rolloutMs = Date.now() - started;
    const drawn = await page.evaluate(() => (window as unknown as { drawn: Record<string, number>[] }).drawn);

    // The ReplicaSets' names and the controller's events, read with the session's own kubeconfig.
    const sessionId = await page.evaluate(() => localStorage.getItem('rollout-lab:session'));
    const kubeconfig = await page.evaluate(async (id) => {
      const response = await fetch(`/api/sessions/${id}/kubeconfig`, { credentials: 'same-origin' });
      return response.text();
    }, sessionId);
    const home = join(stateDir, 'kubectl-home');
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'config'), kubeconfig);
    const env = { ...process.env, KUBECONFIG: join(home, 'config'), HOME: home };
    const rsList = JSON.parse(
      (await run(kubectl!.path, ['get', 'rs', '-l', 'app=vweb', '-o', 'json'], { env })).stdout,
    ) as { items: { metadata: { name: string; annotations: Record<string, string> } }[] };
    const byRevision = new Map(
      rsList.items.map((rs) => [
        rs.metadata.annotations['deployment.kubernetes.io/revision'],
        rs.metadata.name,
      ]),
    );
    const names = { old: byRevision.get('1')!, new: byRevision.get('2')! };
    const eventList = JSON.parse(
      (
        await run(
          kubectl!.path,
          [
            'get',
            'events',
            '--field-selector',
            'reason=ScalingReplicaSet,involvedObject.name=vweb',
            '-o',
            'json',
          ],
          { env },
        )
      ).stdout,
    ) as { items: { metadata: { name: string; creationTimestamp: string }; message: string }[] };
    // Event names grow with the time they were recorded (see sandbox/cluster/controllers/events.ts):
    // in name order they are the controller's steps. The rollout's start at the new ReplicaSet.
    const events = eventList.items.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const rolloutEvents = events.slice(events.findIndex((e) => e.message.includes(names.new)));
    const states = controllerStates(rolloutEvents, names, { '1': 3, '2': 0 });
    const expected = states.map(key);
    const shown = drawn.map((state) => key(state));
    const report = `controller: ${expected.join(' → ')}\nview:       ${shown.join(' → ')}\nrollout took ${rolloutMs} ms`;
    console.log(report);

    // The controller went 3/0 → … → 0/3, one step at a time.
    expect(expected[0]).toBe('3/0');
    expect(expected.at(-1)).toBe('0/3');
    // The view ends where the controller ended and shows only the controller's states, in its order.
    expect(shown.at(-1), report).toBe('0/3');
    let at = 0;
    for (const state of shown) {
      const found = expected.indexOf(state, at);
      expect(found, `${state} is not a later controller state\n${report}`).toBeGreaterThanOrEqual(0);
      at = found;
    }
    // It is a rollout seen as it happens, not just before and after: the old ReplicaSet is seen
    // part way down while the new one is part way up.
    expect(
      shown.some((state) => /^[12]\/[12]$/.test(state)),
      report,
    ).toBe(true);

    // The narration told it too (once the cluster went quiet).
    const told = (): Promise<string> =>
      page.evaluate(() => document.querySelector('rl-live-view [role="log"]')?.textContent ?? '');
    await page
      .waitForFunction(
        () =>
          /scaled from \d to 0/.test(document.querySelector('rl-live-view [role="log"]')?.textContent ?? ''),
        undefined,
        { timeout: 10_000 },
      )
      .catch(async (error: Error) => {
        throw new Error(`${error.message}\nthe log says: ${await told()}`);
      });
    const log = await page.locator('rl-live-view [role="log"]').textContent();
    console.log(`narration: ${await page.locator('rl-live-view [role="log"] p').allTextContents()}`);
    expect(log).toContain(`ReplicaSet ${names.new} (revision 2) created`);
    expect(log).toMatch(new RegExp(`ReplicaSet ${names.old} \\(revision 1\\) scaled from \\d to 0`));
  });

  it('shows the revision history with a +/- template diff, in both languages and both themes', async () => {
    const history = page.locator('[data-history="vweb"]');
    await history.scrollIntoViewIfNeeded();
    expect(await history.locator('li[data-history-revision]').count()).toBe(2);
    const diff = history.locator('.lv-diff');
    const added = await diff.locator('.lv-added').allTextContents();
    const removed = await diff.locator('.lv-removed').allTextContents();
    // `set image` changed the image and nothing else; each line says + or - in text, not only colour.
    expect(added, added.join('')).toEqual([
      expect.stringMatching(/^\+\s+(- )?image: kiamol\/ch09-vweb:v2\n$/),
    ]);
    expect(removed, removed.join('')).toEqual([
      expect.stringMatching(/^-\s+(- )?image: kiamol\/ch09-vweb:v1\n$/),
    ]);
    // Choosing the same revision twice says the templates are the same.
    await history.locator('select[data-diff="from"]').selectOption('2');
    await page.waitForSelector('[data-history="vweb"] p.lv-note');
    expect(await page.locator('[data-history="vweb"] select[data-diff="from"]').inputValue()).toBe('2');
    await page.locator('[data-history="vweb"] select[data-diff="from"]').selectOption('1');

    // Pod chips are in the Tab order and say what they stand for.
    const chip = page.locator('[data-deployment="vweb"] tr[data-rs] .lv-chip').first();
    await chip.focus();
    expect(await chip.getAttribute('aria-label')).toMatch(
      /^vweb-\S+: Running, ready 1\/1 \(ready\), image kiamol\/ch09-vweb:v2$/,
    );
    await page.screenshot({ path: resolve(SCREENSHOT_DIR, 'live-view-chip-focus.png') });

    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    for (const locale of ['en', 'ko'] as const) {
      for (const theme of ['light', 'dark'] as const) {
        await page.evaluate((t) => localStorage.setItem('rollout-lab:theme', t), theme);
        await page.goto(`${origin}/${locale}/ch09/how-rollouts-happen/`);
        await page.waitForSelector('rl-live-view [data-deployment="vweb"]', { timeout: 30_000 });
        const shot = resolve(SCREENSHOT_DIR, `live-view-${locale}-${theme}.png`);
        await page.screenshot({ path: shot });
        // The whole view, history and diff included: a tall window gives the tools panel room.
        await page.setViewportSize({ width: 1400, height: 2600 });
        await page
          .locator('rl-live-view')
          .screenshot({ path: resolve(SCREENSHOT_DIR, `live-view-panel-${locale}-${theme}.png`) });
        await page.setViewportSize({ width: 1400, height: 1000 });
      }
    }
    expect(await page.locator('rl-live-view h3').first().textContent()).toBe('디플로이먼트 vweb');
    // Large text (projector) mode.
    await page.evaluate(() => localStorage.setItem('rollout-lab:projector', 'on'));
    await page.reload();
    await page.waitForSelector('rl-live-view [data-deployment="vweb"]', { timeout: 30_000 });
    await page.screenshot({ path: resolve(SCREENSHOT_DIR, 'live-view-large-text.png') });
  });
});
