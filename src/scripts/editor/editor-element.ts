/**
 * `<rl-editor>`: the editor panel's small, always-shipped part. It holds no Monaco: it listens
 * for what asks for the editor (the panel becoming visible, an `<Open>` button, `kubectl edit`
 * in the terminal), queues those requests, and loads the workbench (Monaco and all) with
 * `import()` the first time one comes. A lesson page's first load therefore carries only this.
 *
 * `data-state` says where it is: `idle` (nothing loaded), `loading`, `ready` or `failed`.
 */
import { showWorkspacePanel } from '../workspace-tabs-element.ts';
import {
  KUBECTL_EDIT_ENDED_EVENT,
  KUBECTL_EDIT_EVENT,
  type KubectlEditDetail,
  type KubectlEditEndedDetail,
  OPEN_FILE_EVENT,
  type OpenFileDetail,
} from './events.ts';
import type { EditorText, Workbench } from './workbench.ts';

type Job = (workbench: Workbench) => void | Promise<void>;

class EditorElement extends HTMLElement {
  #workbench: Promise<Workbench> | undefined;
  #abort = new AbortController();

  connectedCallback(): void {
    const signal = this.#abort.signal;
    document.addEventListener(
      OPEN_FILE_EVENT,
      (event) => {
        const { path, line } = (event as CustomEvent<OpenFileDetail>).detail;
        showWorkspacePanel('editor');
        this.#run((workbench) => workbench.openFile(path, line));
      },
      { signal },
    );
    document.addEventListener(
      KUBECTL_EDIT_EVENT,
      (event) => {
        const detail = (event as CustomEvent<KubectlEditDetail>).detail;
        // Taken: the terminal then tells the learner the object opened here.
        event.preventDefault();
        showWorkspacePanel('editor');
        this.#run((workbench) => workbench.openKubectlEdit(detail));
      },
      { signal },
    );
    document.addEventListener(
      KUBECTL_EDIT_ENDED_EVENT,
      (event) => {
        const { editId } = (event as CustomEvent<KubectlEditEndedDetail>).detail;
        // Nothing to close if the editor never loaded.
        if (this.#workbench) this.#run((workbench) => workbench.endKubectlEdit(editId));
      },
      { signal },
    );
    // Load when the learner shows the editor tab (or it was the tab shown last time).
    const panel = this.closest<HTMLElement>('[role="tabpanel"]');
    if (panel) {
      const observer = new MutationObserver(() => {
        if (!panel.hidden) this.#run(() => {});
      });
      observer.observe(panel, { attributes: true, attributeFilter: ['hidden'] });
      signal.addEventListener('abort', () => observer.disconnect());
      // The tabs element may already have shown it before this element started.
      requestAnimationFrame(() => {
        if (!panel.hidden) this.#run(() => {});
      });
    }
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    this.#abort = new AbortController();
  }

  /** Runs `job` once the workbench is loaded, loading it now if needed; jobs keep their order. */
  #run(job: Job): void {
    this.#workbench ??= this.#load();
    this.#workbench = this.#workbench.then(async (workbench) => {
      try {
        await job(workbench);
      } catch (error) {
        console.error('editor:', error);
      }
      return workbench;
    });
    // A failed load is reported in the panel; the next request tries again.
    this.#workbench.catch(() => {});
  }

  async #load(): Promise<Workbench> {
    this.dataset.state = 'loading';
    const text = this.#readText();
    const status = this.querySelector<HTMLElement>('[data-editor-status]');
    if (status) status.textContent = text.loading ?? '';
    try {
      const { createWorkbench } = await import('./workbench.ts');
      const workbench = createWorkbench(this, text);
      this.dataset.state = 'ready';
      if (status && status.textContent === text.loading) status.textContent = '';
      return workbench;
    } catch (error) {
      this.dataset.state = 'failed';
      if (status) status.textContent = (text.loadFailed ?? '{message}').replace('{message}', String(error));
      this.#workbench = undefined;
      throw error;
    }
  }

  #readText(): EditorText {
    try {
      return JSON.parse(this.querySelector('script[data-editor-text]')?.textContent ?? '{}') as EditorText;
    } catch {
      return {};
    }
  }
}

if (!customElements.get('rl-editor')) customElements.define('rl-editor', EditorElement);
