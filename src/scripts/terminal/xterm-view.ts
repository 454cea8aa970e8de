/**
 * The xterm.js side of the terminal, loaded only when a terminal is about to be shown (it and its
 * stylesheet are the heaviest part of a lesson page). Everything else talks to the small
 * `TerminalView` interface, never to xterm itself.
 */

import '@fontsource/nanum-gothic-coding/400.css';
import { FitAddon } from '@xterm/addon-fit';
import { type ITheme, Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';

/** What the page asks of a terminal on screen. */
export interface TerminalView {
  /** Writes server output (already with `\r\n` line ends). */
  write(data: string): void;
  /** Keystrokes and pastes, as the server expects them. */
  onData(listener: (data: string) => void): void;
  /** The size in character cells after every change. */
  onResize(listener: (size: { cols: number; rows: number }) => void): void;
  readonly cols: number;
  readonly rows: number;
  /** Fits the terminal to its box; call after the box changes size. */
  fit(): void;
  focus(): void;
  /** The selected text, empty when nothing is selected. */
  getSelection(): string;
  /** Types text as a paste (bracketed when the shell asked for it). */
  paste(text: string): void;
  /** Colours and font size, re-read when the theme or projector mode changes. */
  setAppearance(appearance: TerminalAppearance): void;
  setScreenReaderMode(on: boolean): void;
  dispose(): void;
}

/** How the terminal looks; colours come from the page's CSS custom properties. */
export interface TerminalAppearance {
  fontSize: number;
  theme: ITheme;
}

/** Keys the page handles instead of the shell. */
export interface KeyBindings {
  /** Ctrl+Shift+C, or Ctrl+C with text selected. */
  copy(): void;
}

/**
 * A coding font whose Hangul is exactly two Latin cells wide, as a terminal lays out wide
 * characters. With a Latin monospace font and a proportional Korean fallback, every syllable
 * stands in a two-cell slot wider than itself and Korean output looks letter-spaced.
 */
const TERMINAL_FONT = 'Nanum Gothic Coding';
const FONT_FAMILY = `'${TERMINAL_FONT}', ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace`;

/**
 * Loads the terminal font's Latin and Hangul subsets before xterm measures its cell size; a cell
 * measured on a fallback font would misplace every character once the web font arrives. Gives up
 * after `timeoutMs` (offline, blocked fonts) and lets the fallback font do.
 */
export async function loadTerminalFont(fontSize: number, timeoutMs = 3000): Promise<void> {
  const load = Promise.all([
    document.fonts.load(`${fontSize}px "${TERMINAL_FONT}"`, 'kubectl W'),
    document.fonts.load(`${fontSize}px "${TERMINAL_FONT}"`, '네임스페이스'),
  ]).then(() => undefined);
  await Promise.race([load.catch(() => undefined), new Promise<void>((done) => setTimeout(done, timeoutMs))]);
}

/** Opens an xterm in `host`. */
export function createXtermView(
  host: HTMLElement,
  options: { appearance: TerminalAppearance; screenReaderMode: boolean; keys: KeyBindings; label: string },
): TerminalView {
  const terminal = new Terminal({
    fontFamily: FONT_FAMILY,
    fontSize: options.appearance.fontSize,
    theme: options.appearance.theme,
    screenReaderMode: options.screenReaderMode,
    // Hangul syllables fill the em box; a little leading keeps Korean output from touching.
    lineHeight: 1.15,
    cursorBlink: true,
    scrollback: 5000,
    convertEol: false,
  });
  const fitAddon = new FitAddon();
  terminal.loadAddon(fitAddon);
  terminal.open(host);
  terminal.textarea?.setAttribute('aria-label', options.label);

  // Esc arms a way out: the next Tab (or Shift+Tab) is left to the browser, which moves focus out
  // of the terminal, instead of completing a command. Esc is not sent on: the learner shell has no
  // use for it, and a lone ESC would start an escape sequence.
  let escapeArmed = false;
  terminal.attachCustomKeyEventHandler((event) => {
    if (event.type !== 'keydown') return !(event.key === 'Escape' || (escapeArmed && event.key === 'Tab'));
    if (event.key === 'Escape') {
      escapeArmed = true;
      return false;
    }
    if (escapeArmed && event.key === 'Tab') {
      escapeArmed = false;
      return false;
    }
    escapeArmed = false;
    const ctrl = event.ctrlKey || event.metaKey;
    if (ctrl && event.shiftKey && event.code === 'KeyC') {
      event.preventDefault();
      options.keys.copy();
      return false;
    }
    if (ctrl && !event.shiftKey && event.code === 'KeyC' && terminal.hasSelection()) {
      event.preventDefault();
      options.keys.copy();
      terminal.clearSelection();
      return false;
    }
    // Ctrl+Shift+V: let the browser paste into xterm's textarea; xterm takes it from the paste event.
    if (ctrl && event.shiftKey && event.code === 'KeyV') return false;
    return true;
  });

  return {
    write: (data) => terminal.write(data),
    onData: (listener) => void terminal.onData(listener),
    onResize: (listener) => void terminal.onResize(listener),
    get cols() {
      return terminal.cols;
    },
    get rows() {
      return terminal.rows;
    },
    fit: () => {
      // A hidden or zero-sized box has no dimensions to fit to.
      if (host.clientWidth > 0 && host.clientHeight > 0) fitAddon.fit();
    },
    focus: () => terminal.focus(),
    getSelection: () => terminal.getSelection(),
    paste: (text) => terminal.paste(text),
    setAppearance: (appearance) => {
      terminal.options.fontSize = appearance.fontSize;
      terminal.options.theme = appearance.theme;
    },
    setScreenReaderMode: (on) => {
      terminal.options.screenReaderMode = on;
    },
    dispose: () => terminal.dispose(),
  };
}
