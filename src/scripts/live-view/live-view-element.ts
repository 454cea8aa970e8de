/**
 * `<rl-live-view>`: the live view beside the terminal. It finds the learner's session (the id the
 * terminal keeps in localStorage), follows the session's workloads (see source.ts), redraws them
 * on every change (render.ts) and tells a screen reader what changed through a visually hidden
 * `role="log"`, once the cluster has been quiet for a moment so a rollout is told in a few
 * sentences rather than one per object (narrate.ts).
 *
 * Its text comes from the JSON block LiveView.astro renders in the page's language.
 */
import { formatMessage } from '../../i18n/format.ts';
import type { WorkloadsView } from '../../protocol/live-view.ts';
import { capNarration, type LiveTextKey, narrateChanges } from './narrate.ts';
import { type DiffChoice, renderView, type TextLookup } from './render.ts';
import type { SourceState, WorkloadsSource } from './source.ts';

/** localStorage key of the session id (the terminal's session.ts writes it). */
const SESSION_KEY = 'rollout-lab:session';
/** Dispatched on `document` by the terminal whenever output arrives (a session may just have started). */
const TERMINAL_OUTPUT_EVENT = 'rl:terminal-output';
/** Narrate after this long without a change… */
const QUIET_MS = 1000;
/** …but at least this often during a long, busy rollout. */
const MAX_WAIT_MS = 3000;
/** Sentences per log entry before the rest are counted. */
const MAX_SENTENCES = 8;
/** Log entries kept (older ones were read already). */
const MAX_ENTRIES = 20;
const SESSION_POLL_MS = 2000;

function readSessionId(): string | null {
  try {
    return localStorage.getItem(SESSION_KEY);
  } catch {
    return null;
  }
}

class LiveViewElement extends HTMLElement {
  #text: Partial<Record<LiveTextKey, string>> = {};
  #sessionId: string | null = null;
  #source: WorkloadsSource | undefined;
  #view: WorkloadsView | undefined;
  /** The last view the log has told about. */
  #narrated: WorkloadsView | undefined;
  #quietTimer: ReturnType<typeof setTimeout> | undefined;
  #firstPending: number | undefined;
  #choices = new Map<string, DiffChoice>();
  #abort = new AbortController();

  readonly t: TextLookup = (key, values = {}) => formatMessage(this.#text[key] ?? key, values);

  connectedCallback(): void {
    this.#abort = new AbortController();
    const { signal } = this.#abort;
    try {
      this.#text = JSON.parse(this.querySelector('[data-live-text]')?.textContent ?? '{}');
    } catch {
      this.#text = {};
    }
    this.#content().addEventListener('change', (event) => this.#onChoice(event), { signal });
    document.addEventListener(TERMINAL_OUTPUT_EVENT, () => this.#followSession(), { signal });
    window.addEventListener('storage', () => this.#followSession(), { signal });
    const timer = setInterval(() => this.#followSession(), SESSION_POLL_MS);
    signal.addEventListener('abort', () => clearInterval(timer));
    this.#followSession();
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    this.#source?.close();
    this.#source = undefined;
    clearTimeout(this.#quietTimer);
  }

  #content(): HTMLElement {
    return this.querySelector<HTMLElement>('[data-live-content]') ?? this;
  }

  /** Opens the stream for the stored session, or for a new one after a reset or a new session. */
  #followSession(): void {
    const id = readSessionId();
    if (id === this.#sessionId) return;
    this.#source?.close();
    this.#source = undefined;
    this.#sessionId = id;
    this.#view = undefined;
    this.#narrated = undefined;
    if (!id) {
      this.#setState('idle', this.t('live.empty'));
      return;
    }
    this.#setState('connecting', this.t('live.connecting'));
    void this.#open(id);
  }

  /**
   * Loads the stream code (with the schema library) only now: a page's first load stays small,
   * and nothing needs it before a session exists.
   */
  async #open(id: string): Promise<void> {
    const { openWorkloadsSource } = await import('./source.ts');
    if (!this.isConnected || id !== this.#sessionId || this.#source) return;
    const locale = document.documentElement.lang === 'en' ? 'en' : 'ko';
    this.#source = openWorkloadsSource(id, locale, {
      onView: (view) => this.#show(view),
      onState: (state) => this.#onSourceState(state),
    });
  }

  #onSourceState(state: SourceState): void {
    if (state === 'live') this.#setState('live', '');
    else if (state === 'connecting')
      this.#setState('connecting', this.#view ? '' : this.t('live.connecting'));
    else this.#setState('offline', this.t('live.offline'));
  }

  #setState(state: string, message: string): void {
    this.dataset.state = state;
    const status = this.querySelector<HTMLElement>('[data-live-status]');
    if (status && status.textContent !== message) status.textContent = message;
    if (state === 'idle') this.#content().replaceChildren();
  }

  #show(view: WorkloadsView): void {
    if (this.#view && JSON.stringify(this.#view) === JSON.stringify(view)) return;
    this.#view = view;
    this.#draw();
    if (this.#narrated === undefined) {
      // The first view is drawn, not read out.
      this.#narrated = view;
      return;
    }
    const now = Date.now();
    this.#firstPending ??= now;
    clearTimeout(this.#quietTimer);
    const wait = Math.max(0, Math.min(QUIET_MS, this.#firstPending + MAX_WAIT_MS - now));
    this.#quietTimer = setTimeout(() => this.#narrate(), wait);
  }

  /** Redraws, keeping focus on the control (or pod chip) that had it. */
  #draw(): void {
    if (!this.#view) return;
    const content = this.#content();
    const focused = document.activeElement as HTMLElement | null;
    const focusKey = focused && content.contains(focused) ? focused.dataset.focusKey : undefined;
    const scroll = content.closest('.tools-panel')?.scrollTop;
    content.replaceChildren(renderView(this.t, this.#view, this.#choices));
    if (focusKey) {
      const target = [...content.querySelectorAll<HTMLElement>('[data-focus-key]')].find(
        (el) => el.dataset.focusKey === focusKey,
      );
      target?.focus({ preventScroll: true });
    }
    const panel = content.closest('.tools-panel');
    if (panel && scroll !== undefined) panel.scrollTop = scroll;
  }

  #narrate(): void {
    this.#firstPending = undefined;
    if (!this.#view) return;
    const sentences = capNarration(narrateChanges(this.#narrated, this.#view), MAX_SENTENCES);
    this.#narrated = this.#view;
    if (sentences.length === 0) return;
    const log = this.querySelector<HTMLElement>('[data-live-log]');
    if (!log) return;
    const entry = document.createElement('p');
    entry.textContent = sentences.map((s) => this.t(s.key, s.values)).join(' ');
    log.append(entry);
    while (log.childElementCount > MAX_ENTRIES) log.firstElementChild?.remove();
  }

  #onChoice(event: Event): void {
    const select = event.target as HTMLSelectElement;
    const which = select.dataset.diff;
    const deployment = select.closest<HTMLElement>('[data-deployment]')?.dataset.deployment;
    if (!deployment || (which !== 'from' && which !== 'to')) return;
    const group = select.closest('.lv-diff-controls');
    const read = (name: string): number =>
      Number(group?.querySelector<HTMLSelectElement>(`select[data-diff="${name}"]`)?.value);
    this.#choices.set(deployment, { from: read('from'), to: read('to') });
    this.#draw();
  }
}

if (!customElements.get('rl-live-view')) customElements.define('rl-live-view', LiveViewElement);
