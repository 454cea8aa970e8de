/**
 * `<rl-terminal>`: the lesson's workspace terminal. This file is small and ships with the page; it
 * takes `<Run>` requests at once (queueing them) and loads xterm, the protocol schema and the
 * connection only when the terminal scrolls into view or a command asks for it.
 *
 * The element's `data-state` mirrors the connection (`idle`, `loading`, `connecting`,
 * `connected`, `waiting`, `stopped`) for styles and tests.
 */

import type { EditMessage } from '../protocol/edits.ts';
import { copyText } from './clipboard.ts';
import { RUN_COMMAND_EVENT, type RunCommandEvent, SETTINGS_CHANGED_EVENT } from './events.ts';
import {
  dispatchKubectlEdit,
  dispatchKubectlEditEnded,
  PAGE_EDITOR_SELECTOR,
} from './kubectl-edit-events.ts';
import { readProjectorMode, readStored, STORAGE_KEYS, writeStored } from './preferences.ts';
import { TERMINAL_OUTPUT_EVENT } from './step-checks.ts';
import type { ConnectionNotice, ConnectionState, TerminalConnection } from './terminal/connection.ts';
import type { TerminalAppearance, TerminalView } from './terminal/xterm-view.ts';
import { readUiText } from './ui-text.ts';

/** Commands kept while the terminal connects; older ones are dropped past this. */
const MAX_QUEUED_COMMANDS = 10;

class TerminalElement extends HTMLElement {
  #view: TerminalView | undefined;
  #connection: TerminalConnection | undefined;
  #starting: Promise<void> | undefined;
  #queue: string[] = [];
  #abort = new AbortController();
  /** `kubectl edit`s handed to the page and not ended yet. */
  readonly #openEdits = new Set<string>();

  connectedCallback(): void {
    const signal = this.#abort.signal;
    document.addEventListener(RUN_COMMAND_EVENT, (event) => this.#takeRun(event as RunCommandEvent), {
      signal,
    });
    document.addEventListener(SETTINGS_CHANGED_EVENT, () => this.#restyle(), { signal });
    this.#button('copy')?.addEventListener('click', () => void this.#copySelection(), { signal });
    this.#button('paste')?.addEventListener('click', () => void this.#pasteClipboard(), { signal });
    this.#button('reconnect')?.addEventListener('click', () => this.#reconnect(), { signal });
    this.#button('reset')?.addEventListener('click', () => void this.#resetSandbox(), { signal });
    const screenReader = this.#button('screen-reader');
    screenReader?.setAttribute('aria-pressed', String(this.#screenReaderMode()));
    screenReader?.addEventListener(
      'click',
      () => {
        const on = !this.#screenReaderMode();
        writeStored(STORAGE_KEYS.screenReader, on ? 'on' : 'off');
        screenReader.setAttribute('aria-pressed', String(on));
        this.#view?.setScreenReaderMode(on);
      },
      { signal },
    );
    this.#setState('idle');
    // Start once the terminal is (nearly) on screen: on a phone it sits below the lesson text.
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          observer.disconnect();
          void this.#start();
        }
      },
      { rootMargin: '200px' },
    );
    observer.observe(this);
    signal.addEventListener('abort', () => observer.disconnect());
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    this.#abort = new AbortController();
    this.#connection?.dispose();
    this.#view?.dispose();
  }

  #button(action: string): HTMLElement | null {
    return this.querySelector<HTMLElement>(`[data-action="${action}"]`);
  }

  #screen(): HTMLElement {
    return this.querySelector<HTMLElement>('[data-terminal-screen]') ?? this;
  }

  #screenReaderMode(): boolean {
    return readStored(STORAGE_KEYS.screenReader) === 'on';
  }

  /** Takes a `<Run>` request: types it now when connected, else keeps it until then. */
  #takeRun(event: RunCommandEvent): void {
    event.preventDefault();
    const data = event.detail.command + (event.detail.execute ? '\r' : '');
    if (this.#connection?.sendInput(data)) {
      event.detail.outcome = 'sent';
      return;
    }
    this.#queue.push(data);
    if (this.#queue.length > MAX_QUEUED_COMMANDS) this.#queue.shift();
    event.detail.outcome = 'queued';
    void this.#start();
  }

  #setState(state: string, text?: string): void {
    this.dataset.state = state;
    const label = this.querySelector<HTMLElement>('[data-connection-state]');
    if (label) label.textContent = text ?? readUiText(`terminal.state.${state}` as 'terminal.state.idle');
    const reconnect = this.#button('reconnect');
    if (reconnect) reconnect.hidden = state === 'connected' || state === 'idle' || state === 'loading';
  }

  /** Reads colours and size from the CSS custom properties of the current theme and mode. */
  #readAppearance(): TerminalAppearance {
    const style = getComputedStyle(this);
    const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
    return {
      fontSize: readProjectorMode() ? 24 : 16,
      theme: {
        background: read('--terminal-background', '#101418'),
        foreground: read('--terminal-foreground', '#e6e6e6'),
        cursor: read('--terminal-cursor', '#e6e6e6'),
        selectionBackground: read('--terminal-selection', '#3a5f8a'),
      },
    };
  }

  #restyle(): void {
    if (!this.#view) return;
    this.#view.setAppearance(this.#readAppearance());
    this.#view.fit();
  }

  #start(): Promise<void> {
    this.#starting ??= this.#load().catch((error: unknown) => {
      this.#starting = undefined;
      this.#setState('stopped', readUiText('terminal.state.failed', { message: String(error) }));
    });
    return this.#starting;
  }

  async #load(): Promise<void> {
    this.#setState('loading');
    const [{ createXtermView, loadTerminalFont }, { TerminalConnection }, session] = await Promise.all([
      import('./terminal/xterm-view.ts'),
      import('./terminal/connection.ts'),
      import('./terminal/session.ts'),
    ]);
    const appearance = this.#readAppearance();
    await loadTerminalFont(appearance.fontSize);
    const screen = this.#screen();
    screen.replaceChildren();
    const view = createXtermView(screen, {
      appearance,
      screenReaderMode: this.#screenReaderMode(),
      label: this.dataset.label ?? 'Terminal',
      keys: { copy: () => void this.#copySelection() },
    });
    this.#view = view;
    const locale = document.documentElement.lang === 'en' ? 'en' : 'ko';
    const store = (() => {
      try {
        return localStorage;
      } catch {
        return undefined;
      }
    })();
    const connection = new TerminalConnection(
      {
        openSession: () => session.openSession({ fetch: (...args) => fetch(...args), store, locale }),
        forgetSession: () => store?.removeItem(session.SESSION_STORAGE_KEY),
        terminalUrl: (id) => session.buildTerminalUrl(location, id),
        createSocket: (url) => new WebSocket(url),
        setTimer: (callback, ms) => setTimeout(callback, ms),
        clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
        random: Math.random,
      },
      {
        onOutput: (data) => {
          view.write(data);
          document.dispatchEvent(new CustomEvent(TERMINAL_OUTPUT_EVENT));
        },
        onState: (state) => this.#showState(state),
        onNotice: (notice) => this.#showNotice(notice),
        onEdit: (edit, sessionId) => this.#showEdit(edit, sessionId),
        onEditEnded: (editId) => {
          this.#openEdits.delete(editId);
          dispatchKubectlEditEnded(document, { editId });
        },
      },
    );
    this.#connection = connection;
    view.onData((data) => connection.sendInput(data));
    view.onResize(({ cols, rows }) => connection.resize(cols, rows));
    const resizeObserver = new ResizeObserver(() => requestAnimationFrame(() => view.fit()));
    resizeObserver.observe(screen);
    this.#abort.signal.addEventListener('abort', () => resizeObserver.disconnect());
    view.fit();
    connection.resize(view.cols, view.rows);
    connection.start();
  }

  #showState(state: ConnectionState): void {
    switch (state.kind) {
      case 'connecting':
        this.#setState('connecting');
        break;
      case 'connected': {
        this.#setState('connected', `${readUiText('terminal.state.connected')} · ${state.namespace}`);
        this.#showSessionLinks();
        const queued = this.#queue.splice(0);
        for (const data of queued) this.#connection?.sendInput(data);
        break;
      }
      case 'waiting': {
        const s = Math.max(1, Math.ceil(state.retryInMs / 1000));
        const key = state.reason === 'unreachable' ? 'terminal.state.offline' : 'terminal.state.reconnecting';
        this.#setState('waiting', readUiText(key, { s }));
        break;
      }
      case 'stopped':
        this.#setState('stopped', state.hint ? `${state.message} ${state.hint}` : state.message);
        break;
    }
  }

  #showNotice(notice: ConnectionNotice): void {
    const dim = (text: string) => `\r\n\x1b[2m[${text}]\x1b[0m\r\n`;
    switch (notice.kind) {
      case 'new-session':
        this.#view?.write(dim(readUiText('terminal.newSession', { namespace: notice.namespace })));
        break;
      case 'reset':
        this.#view?.write(dim(readUiText('terminal.resetDone')));
        break;
      case 'session-ended':
        break;
      case 'error':
        this.#view?.write(`\r\n\x1b[33m${notice.message}\x1b[0m ${notice.hint}\r\n`);
        break;
    }
  }

  /**
   * Hands a `kubectl edit` to the page's editor and says in the terminal where it opened, or that
   * this page has no editor for it (kubectl waits until Ctrl-C then).
   */
  #showEdit(edit: EditMessage, sessionId: string): void {
    // The server sends open edits again after a reconnect; the page already has them (with
    // whatever the learner typed since), so only a page that never saw the edit is told.
    if (this.#openEdits.has(edit.editId)) return;
    this.#openEdits.add(edit.editId);
    const { type: _type, ...rest } = edit;
    const taken =
      dispatchKubectlEdit(document, { ...rest, sessionId }) ||
      document.querySelector(PAGE_EDITOR_SELECTOR) !== null;
    const key = !taken
      ? 'terminal.editNoEditor'
      : edit.reopened
        ? 'terminal.editReopened'
        : 'terminal.editOpened';
    this.#view?.write(`\r\n\x1b[2m[${readUiText(key, { title: edit.title })}]\x1b[0m\r\n`);
  }

  /** Points the kubeconfig link at the current session and shows it and the reset button. */
  #showSessionLinks(): void {
    const id = readStored(STORAGE_KEYS.session);
    if (!id) return;
    const link = this.querySelector<HTMLAnchorElement>('a[data-action="kubeconfig"]');
    if (link) {
      link.href = `/api/sessions/${encodeURIComponent(id)}/kubeconfig`;
      link.hidden = false;
    }
    const reset = this.#button('reset');
    if (reset) reset.hidden = false;
  }

  async #copySelection(): Promise<void> {
    const text = this.#view?.getSelection() ?? '';
    if (text !== '' && !(await copyText(text))) {
      this.#flash(readUiText('terminal.clipboardDenied'));
    }
  }

  async #pasteClipboard(): Promise<void> {
    try {
      const text = await navigator.clipboard.readText();
      this.#view?.paste(text);
      this.#view?.focus();
    } catch {
      this.#flash(readUiText('terminal.clipboardDenied'));
    }
  }

  #reconnect(): void {
    if (this.#connection) this.#connection.reconnectNow();
    else void this.#start();
  }

  async #resetSandbox(): Promise<void> {
    const id = readStored(STORAGE_KEYS.session);
    if (!id || !confirm(readUiText('terminal.resetConfirm'))) return;
    try {
      const response = await fetch(`/api/sessions/${encodeURIComponent(id)}/reset`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      if (!response.ok) this.#flash(`HTTP ${response.status}`);
    } catch (error) {
      this.#flash(String(error));
    }
  }

  /** A short message in the toolbar's live region, replaced by the connection state after a while. */
  #flash(message: string): void {
    const label = this.querySelector<HTMLElement>('[data-connection-state]');
    if (!label) return;
    const previous = label.textContent;
    label.textContent = message;
    setTimeout(() => {
      if (label.textContent === message) label.textContent = previous;
    }, 4000);
  }
}

if (!customElements.get('rl-terminal')) customElements.define('rl-terminal', TerminalElement);
