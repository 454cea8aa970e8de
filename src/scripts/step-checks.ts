/**
 * Marks the lesson's steps from the server: the steps this browser has passed before
 * (`GET /api/progress`, kept on the server across reloads and restarts), then the verdicts the
 * session's event stream pushes whenever the cluster changes (`step-feed.ts`), and a step's
 * "Check now" button. It sets each step's `data-status` (`pending`, `passed`, `failed`; the
 * page's CSS and step list follow it) and shows the first failed check's message under the step.
 *
 * A passed step stays passed: checks judge the cluster as it is now, the next step changes it,
 * and progress is what the learner achieved. The server records every pass it judges, so this
 * page only shows what the server says.
 */
import { readStored, STORAGE_KEYS } from './preferences.ts';
import { StepFeed, type StepVerdict } from './step-feed.ts';

/** Dispatched on `document` by the terminal whenever output arrives. */
export const TERMINAL_OUTPUT_EVENT = 'rl:terminal-output';

function stepElements(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('[data-step-id]')].filter(
    (el) => el.dataset.stepId !== undefined && el.tagName === 'SECTION',
  );
}

/** Steps passed for good on this page: from the server's progress and from verdicts seen. */
const passed = new Set<string>();

function show(step: HTMLElement, verdict: StepVerdict | undefined): void {
  const id = step.dataset.stepId ?? '';
  const status = passed.has(id) ? 'passed' : verdict?.status;
  if (!status) return;
  if (step.dataset.status !== status) step.dataset.status = status;
  const message = step.querySelector<HTMLElement>('[data-step-message]');
  if (!message) return;
  const text = status === 'failed' && verdict ? (verdict.results.find((r) => !r.passed)?.message ?? '') : '';
  if (message.textContent !== text) message.textContent = text;
}

/**
 * "Clear my progress": after the learner confirms, forgets this browser's passed steps on the
 * server (`DELETE /api/progress`) and on the page, then asks for fresh verdicts, so a step the
 * cluster still satisfies shows passed again at once and the others go back to what they are.
 */
async function clearProgress(button: HTMLElement, steps: HTMLElement[], recheck: () => Promise<void>) {
  if (!window.confirm(button.dataset.confirm ?? '')) return;
  const response = await fetch('/api/progress', { method: 'DELETE', credentials: 'same-origin' }).catch(
    () => undefined,
  );
  if (!response?.ok) {
    window.alert(button.dataset.failed ?? '');
    return;
  }
  passed.clear();
  for (const step of steps) {
    step.dataset.status = 'pending';
    const message = step.querySelector<HTMLElement>('[data-step-message]');
    if (message) message.textContent = '';
  }
  await recheck();
}

function start(): void {
  const steps = stepElements();
  if (steps.length === 0) return;
  const byId = new Map(steps.map((el) => [el.dataset.stepId ?? '', el]));
  const feed = new StepFeed(
    {
      sessionId: () => readStored(STORAGE_KEYS.session),
      openStream: (url) => new EventSource(url, { withCredentials: true }),
      getJson: async (url) => {
        const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
        return { ok: response.ok, body: response.ok ? await response.json() : undefined };
      },
      setTimer: (callback, ms) => setTimeout(callback, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      random: Math.random,
    },
    {
      onVerdicts(verdicts) {
        for (const [id, verdict] of Object.entries(verdicts)) {
          if (verdict.status === 'passed') passed.add(id);
          const step = byId.get(id);
          if (step) show(step, verdict);
        }
      },
      onPassed(ids) {
        for (const id of ids) {
          passed.add(id);
          const step = byId.get(id);
          if (step) show(step, undefined);
        }
      },
    },
    { stepIds: [...byId.keys()], locale: document.documentElement.lang === 'en' ? 'en' : 'ko' },
  );

  // The terminal prints once it has a session (a new one after a restart or expiry): follow it.
  document.addEventListener(TERMINAL_OUTPUT_EVENT, () => feed.follow());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') feed.follow();
  });
  window.addEventListener('storage', (event) => {
    if (event.key === STORAGE_KEYS.session) feed.follow();
  });
  document.addEventListener('click', (event) => {
    const target = event.target as Element | null;
    if (target?.closest('[data-action="check-step"]')) void feed.checkNow();
    const clear = target?.closest<HTMLElement>('[data-action="clear-progress"]');
    if (clear) void clearProgress(clear, steps, () => feed.checkNow());
  });
  feed.start();
}

const flag = '__rlStepChecks';
const scope = globalThis as { [flag]?: boolean };
if (typeof document !== 'undefined' && !scope[flag]) {
  scope[flag] = true;
  start();
}
