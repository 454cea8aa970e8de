/**
 * `<rl-run data-command="…">`: a command of the lesson with two buttons. "Run" asks the page's
 * terminal to type it (the `RUN_COMMAND_EVENT`), "Copy" puts it on the clipboard. With no terminal
 * to take it, Run copies instead and says so.
 */

import { copyText } from './clipboard.ts';
import { dispatchRunCommand } from './events.ts';
import { readUiText } from './ui-text.ts';

class RunElement extends HTMLElement {
  #timer: ReturnType<typeof setTimeout> | undefined;

  connectedCallback(): void {
    const command = this.dataset.command ?? '';
    this.querySelector('[data-action="run"]')?.addEventListener('click', () => void this.#run(command));
    this.querySelector('[data-action="copy"]')?.addEventListener('click', () => void this.#copy(command));
  }

  async #run(command: string): Promise<void> {
    const outcome = dispatchRunCommand(this, { command, execute: this.dataset.execute !== 'false' });
    if (outcome === 'sent') this.#say(readUiText('run.sent'));
    else if (outcome === 'queued') this.#say(readUiText('run.queued'));
    else this.#say(readUiText((await copyText(command)) ? 'run.noTerminal' : 'run.copyFailed'));
  }

  async #copy(command: string): Promise<void> {
    this.#say(readUiText((await copyText(command)) ? 'run.copied' : 'run.copyFailed'));
  }

  /** Shows a short note in the block's live region, which screen readers announce. */
  #say(message: string): void {
    const feedback = this.querySelector<HTMLElement>('[data-feedback]');
    if (!feedback) return;
    feedback.textContent = message;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      feedback.textContent = '';
    }, 4000);
  }
}

if (!customElements.get('rl-run')) customElements.define('rl-run', RunElement);
