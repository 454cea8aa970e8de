/**
 * Marks the lesson's steps from the server's checks: asks `GET /api/sessions/:id/checks` for the
 * page's step ids once the terminal's output has been quiet for a second after a command, every
 * 5 s while the page is visible, and when a step's "Check now" button is pressed. It sets each
 * step's `data-status` (the page's CSS and step list follow it) and shows the first failed
 * check's message under the step. Without a session it does nothing.
 */
import { readStored, STORAGE_KEYS } from './preferences.ts';

/** Dispatched on `document` by the terminal whenever output arrives. */
export const TERMINAL_OUTPUT_EVENT = 'rl:terminal-output';

const QUIET_MS = 1000;
const POLL_MS = 5000;

interface StepVerdict {
  status: 'passed' | 'failed' | 'pending';
  results: { passed: boolean; message: string }[];
}

let quietTimer: ReturnType<typeof setTimeout> | undefined;
let inFlight = false;

function stepElements(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('[data-step-id]')].filter(
    (el) => el.dataset.stepId !== undefined && el.tagName === 'SECTION',
  );
}

/**
 * Steps this session has passed. Checks judge the cluster as it is now, and the next step changes
 * it, so a step once done stays done: the learner's progress is what they achieved, not what the
 * cluster still shows. Kept per session in localStorage (a new or reset session starts afresh).
 */
function doneKey(sessionId: string): string {
  return `rollout-lab:done:${sessionId}`;
}

function readDone(sessionId: string): Set<string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(doneKey(sessionId)) ?? '[]');
    return new Set(Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

function writeDone(sessionId: string, done: Set<string>): void {
  try {
    localStorage.setItem(doneKey(sessionId), JSON.stringify([...done]));
  } catch {
    // Storage may be full or blocked; progress then lasts as long as the page.
  }
}

function show(step: HTMLElement, verdict: StepVerdict, done: Set<string>): void {
  const id = step.dataset.stepId ?? '';
  if (verdict.status === 'passed') done.add(id);
  if (done.has(id)) verdict = { status: 'passed', results: [] };
  step.dataset.status = verdict.status;
  const message = step.querySelector<HTMLElement>('[data-step-message]');
  if (!message) return;
  const text = verdict.status === 'failed' ? (verdict.results.find((r) => !r.passed)?.message ?? '') : '';
  if (message.textContent !== text) message.textContent = text;
}

/** Fetches the verdicts of every step on the page and shows them. */
export async function refreshSteps(): Promise<void> {
  const id = readStored(STORAGE_KEYS.session);
  const steps = stepElements();
  if (!id || steps.length === 0 || inFlight) return;
  inFlight = true;
  try {
    const locale = document.documentElement.lang === 'en' ? 'en' : 'ko';
    const ids = steps.map((el) => el.dataset.stepId).join(',');
    const url = `/api/sessions/${encodeURIComponent(id)}/checks?steps=${encodeURIComponent(ids)}&locale=${locale}`;
    const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok) return;
    const body = (await response.json()) as { steps?: Record<string, StepVerdict> };
    const done = readDone(id);
    for (const step of steps) {
      const verdict = body.steps?.[step.dataset.stepId ?? ''];
      if (verdict) show(step, verdict, done);
    }
    writeDone(id, done);
  } catch {
    // A failed check leaves the steps as they were; the next poll tries again.
  } finally {
    inFlight = false;
  }
}

function start(): void {
  document.addEventListener(TERMINAL_OUTPUT_EVENT, () => {
    clearTimeout(quietTimer);
    quietTimer = setTimeout(() => void refreshSteps(), QUIET_MS);
  });
  document.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest('[data-action="check-step"]');
    if (button) void refreshSteps();
  });
  setInterval(() => {
    if (document.visibilityState === 'visible') void refreshSteps();
  }, POLL_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void refreshSteps();
  });
  void refreshSteps();
}

const flag = '__rlStepChecks';
const scope = globalThis as { [flag]?: boolean };
if (typeof document !== 'undefined' && !scope[flag]) {
  scope[flag] = true;
  start();
}
