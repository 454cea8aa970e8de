/**
 * What only a browser shows, on the built site served as static files (no sandbox API): pages
 * render in both languages with the Korean web font, the language switch keeps the lesson and the
 * step, the theme and projector toggles apply and persist, `<Run>` dispatches its command event,
 * step markers follow `data-status`, the terminal loads lazily and says when it cannot connect,
 * and the page works from the keyboard. Screenshots of a lesson in both languages and themes go
 * to E2E_SCREENSHOT_DIR (default: the system temp folder).
 */

import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.ts';
import { SITE_DIR as DIST } from './support/site.ts';
import { type StaticServer, startStaticServer } from './support/static-server.ts';

const SCREENSHOT_DIR = process.env.E2E_SCREENSHOT_DIR ?? join(tmpdir(), 'rollout-lab-e2e');

/** The chapter's lessons in order, with one step per exercise of CHAPTER9.md. */
const LESSONS = [
  {
    slug: 'how-rollouts-happen',
    steps: ['scale-is-not-a-rollout', 'set-image-rollout', 'label-change-rollout'],
  },
  {
    slug: 'rollouts-and-rollbacks',
    steps: ['record-change-cause', 'undo-to-revision', 'configmap-versions'],
  },
  {
    slug: 'configuring-rolling-updates',
    steps: ['recreate-strategy', 'rolling-update-surge', 'min-ready-seconds', 'progress-deadline'],
  },
  {
    slug: 'daemonsets-and-statefulsets',
    steps: ['deploy-todo-app', 'daemonset-update', 'statefulset-partition', 'statefulset-full-update'],
  },
  { slug: 'release-strategies-lab', steps: ['blue-green-switch', 'clean-up'] },
] as const;

const HANGUL = /[\uac00-\ud7a3]/;

let server: StaticServer;
let browser: Browser;
let context: BrowserContext;
let pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(DIST, 'index.html')))
    throw new Error(`No built site in ${DIST}: run npm run build first`);
  server = await startStaticServer(DIST);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(async () => {
  await context?.close();
  expect(pageErrors).toEqual([]);
});

/** A fresh page (own storage) at `path`, failing the test on any script error. */
async function open(
  path: string,
  options: { colorScheme?: 'light' | 'dark'; width?: number } = {},
): Promise<Page> {
  context = await browser.newContext({
    viewport: { width: options.width ?? 1440, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
  });
  pageErrors = [];
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.origin + path);
  return page;
}

describe('pages in both languages', () => {
  for (const locale of ['ko', 'en'] as const) {
    it(`${locale}: the overview lists the five lessons with their step counts`, async () => {
      const page = await open(`/${locale}/`);
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      const cards = page.locator('[data-lesson]');
      expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-lesson')))).toEqual(
        LESSONS.map((l) => l.slug),
      );
      const counts = await page
        .locator('[data-step-count]')
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-step-count'))));
      expect(counts).toEqual(LESSONS.map((l) => l.steps.length));
    });

    it(`${locale}: every lesson page renders its steps, pending, with the same ids`, async () => {
      const page = await open(`/${locale}/`);
      for (const lesson of LESSONS) {
        await page.goto(`${server.origin}/${locale}/ch09/${lesson.slug}/`);
        const title = (await page.textContent('h1')) ?? '';
        expect(title.trim().length).toBeGreaterThan(3);
        expect(HANGUL.test(title)).toBe(locale === 'ko');
        const steps = await page
          .locator('[data-step-id]')
          .evaluateAll((els) =>
            els.map((e) => [e.getAttribute('data-step-id'), e.getAttribute('data-status'), e.id]),
          );
        expect(steps).toEqual(lesson.steps.map((id) => [id, 'pending', id]));
        expect(await page.locator('[data-step-link]').count()).toBe(lesson.steps.length);
        expect(await page.locator('rl-run').count()).toBeGreaterThan(lesson.steps.length);
      }
    });
  }

  it('Hangul is drawn with the shipped Pretendard font', async () => {
    const page = await open('/ko/ch09/how-rollouts-happen/');
    const loaded = await page.evaluate(async () => {
      await document.fonts.ready;
      await document.fonts.load('16px "Pretendard Variable"', '롤아웃');
      const ranges: string[] = [];
      document.fonts.forEach((f) => {
        if (f.family.replace(/"/g, '') === 'Pretendard Variable' && f.status === 'loaded')
          ranges.push(f.unicodeRange);
      });
      return ranges;
    });
    // At least one loaded subset covers the Hangul syllables block.
    expect(loaded.some((range) => /U\+[a-f0-9]*ac|U\+[bcd][0-9a-f]{3}/i.test(range))).toBe(true);
    const family = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    expect(family).toMatch(/^"?Pretendard Variable/);
  });

  it('the home page offers both languages', async () => {
    const page = await open('/');
    expect(await page.locator('a[href="/ko/"]').count()).toBe(1);
    expect(await page.locator('a[href="/en/"]').count()).toBe(1);
    expect(await page.locator('section[lang="ko"] h2').textContent()).toMatch(HANGUL);
  });
});

describe('language switch', () => {
  it('keeps the lesson and the step named in the URL', async () => {
    const page = await open('/ko/ch09/rollouts-and-rollbacks/#undo-to-revision');
    // The browser scrolls to the anchor smoothly; until it arrives, the step in view is an earlier
    // one. Switch once the page shows the step, as a reader would (clicking at once lost that race
    // on a loaded machine).
    await page.waitForSelector('[data-step-link="undo-to-revision"][aria-current="step"]');
    await page.click('rl-lang-switch a[hreflang="en"]');
    await page.waitForURL('**/en/ch09/rollouts-and-rollbacks/#undo-to-revision');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.waitForFunction(() => {
      const box = document.getElementById('undo-to-revision')!.getBoundingClientRect();
      return box.top >= 0 && box.top < innerHeight;
    });
  });

  it('keeps the step the learner scrolled to', async () => {
    const page = await open('/en/ch09/configuring-rolling-updates/');
    await page.evaluate(() =>
      document.getElementById('min-ready-seconds')!.scrollIntoView({ block: 'start' }),
    );
    await page.waitForSelector('[data-step-link="min-ready-seconds"][aria-current="step"]');
    await page.click('rl-lang-switch a[hreflang="ko"]');
    await page.waitForURL('**/ko/ch09/configuring-rolling-updates/#min-ready-seconds');
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
  });

  it('goes from an overview to the other overview', async () => {
    const page = await open('/en/');
    await page.click('rl-lang-switch a[hreflang="ko"]');
    await page.waitForURL(`${server.origin}/ko/`);
  });
});

describe('display settings', () => {
  it('the theme toggle switches to dark and back, and the choice survives a reload', async () => {
    const page = await open('/en/ch09/how-rollouts-happen/');
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    const light = await background();
    const toggle = page.locator('rl-setting-toggle[data-setting="theme"] button');
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await background()).not.toBe(light);
    await page.reload();
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    await page.locator('rl-setting-toggle[data-setting="theme"] button').click();
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
  });

  it('follows the system dark preference until the learner chooses', async () => {
    const page = await open('/ko/', { colorScheme: 'dark' });
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    expect(
      await page.locator('rl-setting-toggle[data-setting="theme"] button').getAttribute('aria-pressed'),
    ).toBe('true');
  });

  it('projector mode enlarges the text and survives a reload', async () => {
    const page = await open('/ko/ch09/how-rollouts-happen/');
    const rootSize = () =>
      page.evaluate(() => Number.parseFloat(getComputedStyle(document.documentElement).fontSize));
    expect(await rootSize()).toBe(16);
    await page.click('rl-setting-toggle[data-setting="projector"] button');
    expect(await page.getAttribute('html', 'data-projector')).toBe('on');
    expect(await rootSize()).toBe(22);
    await page.reload();
    expect(await rootSize()).toBe(22);
  });
});

describe('lesson components', () => {
  it('<Run> dispatches its command, by mouse and by keyboard, and the terminal takes it', async () => {
    const page = await open('/ko/ch09/rollouts-and-rollbacks/');
    await page.evaluate(() => {
      (window as unknown as { seen: unknown[] }).seen = [];
      document.addEventListener('rollout-lab:run-command', (e) => {
        (window as unknown as { seen: unknown[] }).seen.push((e as CustomEvent).detail);
      });
    });
    const run = page.locator('#record-change-cause rl-run[data-command*="custom-columns"]');
    // The feedback line clears itself after 4 s, which a loaded machine can take between two
    // steps of this test: record every message it shows instead of reading it afterwards.
    await run.evaluate((el) => {
      const feedback = el.querySelector('[data-feedback]')!;
      const said: string[] = [];
      (window as unknown as { said: string[] }).said = said;
      new MutationObserver(() => {
        if (feedback.textContent) said.push(feedback.textContent);
      }).observe(feedback, { childList: true, characterData: true, subtree: true });
    });
    const command = await run.getAttribute('data-command');
    expect(command).toContain('custom-columns=NAME:.metadata.name');
    expect(await run.locator('code').textContent()).toBe(command);
    await run.locator('[data-action="run"]').click();
    await run.locator('[data-action="run"]').focus();
    await page.keyboard.press('Enter');
    const seen = await page.evaluate(() => (window as unknown as { seen: unknown[] }).seen);
    expect(seen).toEqual([
      { command, execute: true, outcome: 'queued' },
      { command, execute: true, outcome: 'queued' },
    ]);
    // No sandbox API here: the terminal keeps the command until it connects, and says so.
    const said = await page.evaluate(() => (window as unknown as { said: string[] }).said);
    expect(said).toEqual(['터미널이 연결되면 입력합니다', '터미널이 연결되면 입력합니다']);
  });

  it('step markers follow the status that checks will set', async () => {
    const page = await open('/en/ch09/how-rollouts-happen/');
    await page.evaluate(() => {
      document.querySelector('[data-step-id="set-image-rollout"]')!.setAttribute('data-status', 'passed');
      document.querySelector('[data-step-id="label-change-rollout"]')!.setAttribute('data-status', 'failed');
    });
    await page.waitForSelector('[data-step-link="set-image-rollout"][data-status="passed"]');
    await page.waitForSelector('[data-step-link="label-change-rollout"][data-status="failed"]');
    expect(await page.locator('#set-image-rollout .status-label:visible').textContent()).toBe('Done');
    expect(await page.locator('#label-change-rollout .status-label:visible').textContent()).toBe(
      'Not there yet',
    );
    expect(await page.locator('#scale-is-not-a-rollout .status-label:visible').textContent()).toBe(
      'Not done yet',
    );
  });

  it('hints and solutions open and close', async () => {
    const page = await open('/en/ch09/how-rollouts-happen/');
    const solution = page.locator('#label-change-rollout details.solution');
    expect(await solution.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await solution.locator('summary').click();
    expect(await solution.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    await expect(solution.locator('.disclosure-body').isVisible()).resolves.toBe(true);
  });
});

describe('terminal', () => {
  it('loads xterm only after the page, and shows that no sandbox answers', async () => {
    const page = await open('/en/ch09/how-rollouts-happen/');
    const initialScripts = await page
      .locator('script[src]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('src') ?? ''));
    expect(initialScripts.some((src) => /xterm/.test(src))).toBe(false);
    await page.waitForSelector('rl-terminal .xterm');
    // The terminal retries within half a second, so "waiting" and "connecting" alternate: wait for
    // the state and its words together rather than read the label after seeing the state (that
    // read lost the race about one time in ten on a loaded machine).
    await page.waitForFunction(() => {
      const terminal = document.querySelector<HTMLElement>('rl-terminal');
      const label = terminal?.querySelector('[data-connection-state]')?.textContent ?? '';
      const reconnect = terminal?.querySelector<HTMLElement>('[data-action="reconnect"]');
      return (
        terminal?.dataset.state === 'waiting' &&
        /Cannot reach the sandbox server/.test(label) &&
        reconnect !== null &&
        reconnect !== undefined &&
        !reconnect.hidden
      );
    });
  });

  it('screen-reader mode is a pressed button that sticks', async () => {
    const page = await open('/en/ch09/how-rollouts-happen/');
    const button = page.locator('rl-terminal [data-action="screen-reader"]');
    await button.click();
    expect(await button.getAttribute('aria-pressed')).toBe('true');
    await page.reload();
    expect(await page.locator('rl-terminal [data-action="screen-reader"]').getAttribute('aria-pressed')).toBe(
      'true',
    );
  });
});

describe('keyboard', () => {
  it('the first Tab reaches the skip link, which moves focus to the lesson', async () => {
    const page = await open('/ko/ch09/how-rollouts-happen/');
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const a = document.activeElement as HTMLAnchorElement;
      const box = a.getBoundingClientRect();
      return { href: a.getAttribute('href'), visible: box.top >= 0 && box.height > 0 };
    });
    expect(skip).toEqual({ href: '#main', visible: true });
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    const outline = await page.evaluate(() => {
      const link = document.querySelector<HTMLAnchorElement>('[data-step-link]')!;
      link.focus();
      return getComputedStyle(link).outlineStyle;
    });
    expect(outline).toBe('solid');
  });
});

describe('terminal keyboard', () => {
  it('Tab stays in the terminal for completion, but Esc then Tab leaves it', async () => {
    const page = await open('/en/ch09/how-rollouts-happen/');
    await page.waitForSelector('rl-terminal .xterm');
    await page.click('rl-terminal .xterm');
    const inTerminal = () => page.evaluate(() => document.activeElement?.closest('.xterm') !== null);
    expect(await inTerminal()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await inTerminal()).toBe(true);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await inTerminal()).toBe(false);
  });
});

describe('layout', () => {
  for (const projector of [false, true]) {
    it(`xterm's rows and columns fit inside the terminal's box${projector ? ', in large-text mode' : ''}`, async () => {
      const page = await open('/en/ch09/how-rollouts-happen/', { width: 1280 });
      if (projector) await page.click('rl-setting-toggle[data-setting="projector"] button');
      await page.waitForSelector('rl-terminal .xterm-screen');
      // The fit addon sizes xterm from its box; a row or column more than fits is cut off.
      await page.waitForFunction(() => {
        const box = document.querySelector('rl-terminal [data-terminal-screen]')!.getBoundingClientRect();
        const drawn = document.querySelector('rl-terminal .xterm-screen')!.getBoundingClientRect();
        return drawn.height > 0 && drawn.bottom <= box.bottom + 0.5 && drawn.right <= box.right + 0.5;
      });
      const rows = await page.evaluate(
        () => document.querySelectorAll('rl-terminal .xterm-rows > div').length,
      );
      expect(rows).toBeGreaterThanOrEqual(4);
    });
  }

  it('on a phone, Run and Copy go below a command instead of squeezing it', async () => {
    const page = await open('/ko/ch09/how-rollouts-happen/', { width: 390 });
    const command = page.locator('rl-run[data-command="kubectl apply -f vweb/"] .run-command').first();
    const { height, lineHeight } = await command.evaluate((el) => ({
      height: el.getBoundingClientRect().height,
      lineHeight: Number.parseFloat(getComputedStyle(el).lineHeight),
    }));
    expect(height).toBeLessThan(lineHeight * 2);
  });

  it('on a phone, the header scrolls away with the page', async () => {
    const page = await open('/en/ch09/how-rollouts-happen/', { width: 390 });
    await page.evaluate(() => window.scrollTo({ top: 2000, behavior: 'instant' }));
    const bottom = await page.evaluate(
      () => document.querySelector('.site-header')!.getBoundingClientRect().bottom,
    );
    expect(bottom).toBeLessThanOrEqual(0);
  });
});

describe('screenshots', () => {
  for (const locale of ['ko', 'en'] as const) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`${locale} lesson, ${colorScheme}`, async () => {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        const page = await open(`/${locale}/ch09/configuring-rolling-updates/#min-ready-seconds`, {
          colorScheme,
        });
        await page.evaluate(() => document.fonts.ready);
        await page.waitForSelector('rl-terminal .xterm');
        const path = join(SCREENSHOT_DIR, `lesson-${locale}-${colorScheme}.png`);
        await page.screenshot({ path });
        expect(existsSync(path)).toBe(true);
      });
    }
  }
});
