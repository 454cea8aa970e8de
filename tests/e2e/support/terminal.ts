/**
 * Typing into the page's terminal as a learner does: focus xterm, real key presses, Enter. What the
 * shell prints is read from the terminal WebSocket's frames as the browser receives them (the same
 * bytes xterm draws), so a test can wait for a command's output and the next prompt instead of
 * sleeping.
 */

import type { Page } from 'playwright-core';

/** The shell's coloured prompt, `(namespace) $ `, ending the output so far. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the prompt is coloured with escape sequences
const PROMPT_AT_END = /\(\S+\)\x1b\[0m \$ $/;

/** Everything the terminal sockets of a page received, across reloads and reconnects. */
export class TerminalTranscript {
  #text = '';
  #waiters = new Set<() => void>();

  /** Starts recording `page`'s terminal sockets; call before the page opens its terminal. */
  constructor(page: Page) {
    page.on('websocket', (socket) => {
      if (!socket.url().endsWith('/terminal')) return;
      socket.on('framereceived', ({ payload }) => {
        const message = parseMessage(payload);
        if (message?.type !== 'output' || typeof message.data !== 'string') return;
        this.#text += message.data;
        for (const waiter of this.#waiters) waiter();
      });
    });
  }

  /** The output so far, escape sequences included. */
  get text(): string {
    return this.#text;
  }

  /** True when the output after `from` ends at a prompt. */
  atPrompt(from = 0): boolean {
    return PROMPT_AT_END.test(this.#text.slice(from));
  }

  /** Resolves once `predicate` holds; rejects after `timeoutMs` naming `what`, with the output. */
  until(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      if (predicate()) {
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(
          new Error(
            `Timed out after ${timeoutMs / 1000} s waiting for ${what}. Terminal output:\n${this.#text}`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
    });
  }
}

function parseMessage(payload: string | Buffer): { type?: unknown; data?: unknown } | undefined {
  try {
    return JSON.parse(String(payload)) as { type?: unknown; data?: unknown };
  } catch {
    return undefined;
  }
}

/**
 * Clicks into the terminal, types `command` key by key and presses Enter; resolves to what the
 * command printed (between its echoed line and the next prompt) once that prompt is back.
 */
export async function typeCommand(
  page: Page,
  transcript: TerminalTranscript,
  command: string,
  timeoutMs = 60_000,
): Promise<string> {
  await transcript.until(() => transcript.atPrompt(), 'a prompt before typing');
  await page.locator('rl-terminal .xterm').click();
  const start = transcript.text.length;
  await page.keyboard.type(command);
  // The shell echoes each key (wrapping long lines at the terminal's width): wait for the whole
  // line before pressing Enter.
  await transcript.until(
    () =>
      stripAnsi(transcript.text.slice(start))
        .replace(/[\r\n]/g, '')
        .includes(command),
    `the echo of ${command}`,
  );
  const entered = transcript.text.length;
  await page.keyboard.press('Enter');
  return waitForCommand(transcript, entered, command, timeoutMs);
}

/**
 * Waits for a command whose Enter was sent after output position `start` (what follows is the
 * end of its echoed line, its output and the next prompt); resolves to its output.
 */
export async function waitForCommand(
  transcript: TerminalTranscript,
  start: number,
  command: string,
  timeoutMs = 60_000,
): Promise<string> {
  await transcript.until(
    () => transcript.text.slice(start).includes('\r\n') && transcript.atPrompt(start),
    `the prompt after ${command}`,
    timeoutMs,
  );
  const printed = transcript.text.slice(start);
  return stripAnsi(printed.slice(printed.indexOf('\r\n') + 2, printed.lastIndexOf('\r\n') + 2));
}

/** Drops colour and cursor escape sequences. */
export function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the escape sequences
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}
