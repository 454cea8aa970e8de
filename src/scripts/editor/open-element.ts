/**
 * `<rl-open data-file="…" data-line="8">`: a button in the lesson text that shows the editor tab
 * and opens a file of the exercise folder at a line (the `rl:open-file` event, which the editor
 * panel takes even before Monaco has loaded).
 */
import { dispatchOpenFile } from './events.ts';

class OpenElement extends HTMLElement {
  connectedCallback(): void {
    this.querySelector('button')?.addEventListener('click', () => {
      const path = this.dataset.file ?? '';
      const line = Number(this.dataset.line);
      dispatchOpenFile(Number.isInteger(line) && line > 0 ? { path, line } : { path });
    });
  }
}

if (!customElements.get('rl-open')) customElements.define('rl-open', OpenElement);
