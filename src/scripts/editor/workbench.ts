/**
 * The manifest editor itself, loaded with `import()` by `<rl-editor>` the first time the learner
 * needs it: Monaco with the cluster's schema, the workdir's file list, open documents (workdir
 * files and `kubectl edit` buffers), save, apply, drafts and conflicts.
 *
 * Unsaved text is never lost silently: each open document keeps its text while another is shown
 * (a Monaco model per document), a dirty document is marked in the list and the toolbar, its text
 * is copied to sessionStorage as the learner types (offered back when the file is opened again),
 * leaving the page asks first, and a save that meets a file changed on disk (412) asks whether to
 * reload it or overwrite it.
 */
import { dispatchRunCommand, SETTINGS_CHANGED_EVENT } from '../events.ts';
import { readProjectorMode, readStored, readTheme, STORAGE_KEYS } from '../preferences.ts';
import { type Draft, dropDraft, keepDraft, listDrafts, readDraft } from './drafts.ts';
import type { KubectlEditDetail } from './events.ts';
import {
  answerKubectlEdit,
  FilesApiError,
  fetchFile,
  fetchManifestSchema,
  fetchTree,
  saveFile,
} from './files-client.ts';
import { configureManifestSchema, monaco } from './monaco-setup.ts';

/** The editor's interface text, from the panel's JSON block (`editor.*` keys without the prefix). */
export type EditorText = Record<string, string>;

/** One open document: a workdir file, or the buffer of a waiting `kubectl edit`. */
interface Doc {
  key: string;
  kind: 'file' | 'kubectl-edit';
  /** File path in the workdir, or kubectl's temporary file name. */
  path: string;
  /** What the document list and toolbar show. */
  title: string;
  model: monaco.editor.ITextModel;
  /** The file version the text was loaded from or last saved as (files only). */
  version: string;
  /** Text as last loaded or saved: the document is dirty while the model differs. */
  savedText: string;
  sessionId: string;
  editId?: string;
  /** kubectl edit: the text was sent and kubectl has not answered yet. */
  sent?: boolean;
  viewState?: monaco.editor.ICodeEditorViewState | null;
}

const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );

/** Waits until the terminal has made (or found) the session and stored its id. */
async function waitForSession(signal: AbortSignal): Promise<string> {
  for (;;) {
    const id = readStored(STORAGE_KEYS.session);
    if (id) return id;
    if (signal.aborted) throw new Error('aborted');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The editor in its panel. */
export class Workbench {
  readonly #root: HTMLElement;
  readonly #text: EditorText;
  readonly #editor: monaco.editor.IStandaloneCodeEditor;
  readonly #docs = new Map<string, Doc>();
  #current: Doc | undefined;
  #sessionId: string | undefined;
  #schemaFor: string | undefined;
  #treePaths: string[] = [];
  #draftTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #abort = new AbortController();

  constructor(root: HTMLElement, text: EditorText) {
    this.#root = root;
    this.#text = text;
    const host = this.#part('[data-editor-host]');
    this.#editor = monaco.editor.create(host, {
      model: null,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      tabSize: 2,
      insertSpaces: true,
      fontSize: readProjectorMode() ? 22 : 14,
      theme: readTheme() === 'dark' ? 'vs-dark' : 'vs',
      ariaLabel: text.title ?? 'Editor',
      fixedOverflowWidgets: true,
      renderValidationDecorations: 'on',
      // The manifests are short; a pinned header line would only cover the text.
      stickyScroll: { enabled: false },
    });
    this.#editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => void this.save());
    const signal = this.#abort.signal;
    document.addEventListener(SETTINGS_CHANGED_EVENT, () => this.#restyle(), { signal });
    window.addEventListener(
      'beforeunload',
      (event) => {
        if (![...this.#docs.values()].some((doc) => this.#isDirty(doc))) return;
        this.#flushDrafts();
        event.preventDefault();
        // Older browsers show the prompt only when returnValue is set.
        event.returnValue = '';
      },
      { signal },
    );
    // Ctrl/Cmd+S anywhere in the panel (the file list, the toolbar) saves too, not the browser's page.
    root.addEventListener(
      'keydown',
      (event) => {
        if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
          event.preventDefault();
          void this.save();
        }
      },
      { signal },
    );
    this.#button('save').addEventListener('click', () => void this.save(), { signal });
    this.#button('apply').addEventListener('click', () => void this.apply(), { signal });
    this.#button('cancel-edit').addEventListener('click', () => void this.#cancelKubectlEdit(), { signal });
    this.#button('refresh').addEventListener('click', () => void this.refreshTree(), { signal });
    this.#part('[data-tree]').addEventListener('keydown', (event) => this.#treeKey(event), { signal });
    this.#render();
  }

  /** Loads the file list (and the schema) once a session exists. */
  async start(): Promise<void> {
    this.#say(this.#text.waitingSession ?? '');
    this.#sessionId = await waitForSession(this.#abort.signal);
    this.#say('');
    await Promise.all([this.refreshTree(), this.#loadSchema(this.#sessionId)]);
    this.#offerKeptDrafts();
  }

  /** Shows a workdir file, opening it if needed, and puts the cursor on `line`. */
  async openFile(path: string, line?: number): Promise<void> {
    const key = `file:${path}`;
    let doc = this.#docs.get(key);
    if (!doc) {
      const sessionId = this.#sessionId ?? (await waitForSession(this.#abort.signal));
      this.#sessionId = sessionId;
      let file: Awaited<ReturnType<typeof fetchFile>>;
      try {
        file = await fetchFile(sessionId, path);
      } catch (error) {
        this.#say(fill(this.#text.openFailed ?? '{message}', { message: describe(error) }));
        return;
      }
      doc = this.#docs.get(key);
      if (!doc) {
        const model = monaco.editor.createModel(
          file.content,
          /\.ya?ml$/i.test(path) ? 'yaml' : undefined,
          monaco.Uri.from({ scheme: 'file', path: `/workdir/${path}` }),
        );
        doc = {
          key,
          kind: 'file',
          path,
          title: path,
          model,
          version: file.version,
          savedText: file.content,
          sessionId,
        };
        this.#track(doc);
        const draft = readDraft(sessionStorageOrUndefined(), sessionId, path);
        if (draft && draft.content !== file.content) this.#offerDraft(doc, draft);
        else if (draft) dropDraft(sessionStorageOrUndefined(), sessionId, path);
      }
    }
    this.#activate(doc);
    if (line !== undefined && line >= 1) {
      const target = Math.min(line, doc.model.getLineCount());
      this.#editor.setPosition({
        lineNumber: target,
        column: doc.model.getLineFirstNonWhitespaceColumn(target) || 1,
      });
      this.#editor.revealLineInCenter(target);
    }
    this.#editor.focus();
  }

  /** Opens (or refreshes, when kubectl reopened it) the buffer of a waiting `kubectl edit`. */
  openKubectlEdit(detail: KubectlEditDetail): void {
    // A reopened buffer replaces the earlier one of the same object, whatever its id.
    for (const doc of [...this.#docs.values()])
      if (doc.kind === 'kubectl-edit' && doc.editId !== detail.editId && doc.title === detail.title)
        this.#close(doc);
    const key = `edit:${detail.editId}`;
    let doc = this.#docs.get(key);
    if (doc) {
      // The terminal sends an edit again after it reconnects: keep what the learner typed then.
      if (detail.content !== doc.savedText || doc.sent) {
        doc.model.setValue(detail.content);
        doc.savedText = detail.content;
        doc.sent = false;
      }
    } else {
      const json = /\.json$/i.test(detail.fileName);
      const model = monaco.editor.createModel(
        detail.content,
        json ? 'json' : 'yaml',
        monaco.Uri.from({
          scheme: 'file',
          path: `/kubectl-edit/${detail.editId}/${json ? 'object.json' : 'object.yaml'}`,
        }),
      );
      doc = {
        key,
        kind: 'kubectl-edit',
        path: detail.fileName,
        title: `kubectl edit ${detail.title}`,
        model,
        version: '',
        savedText: detail.content,
        sessionId: detail.sessionId,
        editId: detail.editId,
      };
      this.#track(doc);
    }
    this.#activate(doc);
    this.#root.dataset.kubectlEditReopened = String(detail.reopened);
    this.#renderBanner();
    if (detail.reopened) this.#say(this.#text.kubectlEditReopened ?? '');
    this.#editor.focus();
  }

  /** kubectl stopped waiting (applied, cancelled, interrupted): closes its buffer. */
  endKubectlEdit(editId: string): void {
    const doc = this.#docs.get(`edit:${editId}`);
    if (!doc) return;
    this.#close(doc);
    this.#say(this.#text.kubectlEditEnded ?? '');
  }

  /** Re-reads the workdir's file list. */
  async refreshTree(): Promise<void> {
    const sessionId = this.#sessionId;
    if (!sessionId) return;
    try {
      const tree = await fetchTree(sessionId);
      this.#treePaths = tree.entries.filter((e) => e.kind === 'file').map((e) => e.path);
      this.#renderTree(tree.entries);
    } catch (error) {
      this.#say(fill(this.#text.openFailed ?? '{message}', { message: describe(error) }));
    }
  }

  /** Saves the shown document: writes the file, or hands the text to kubectl edit. */
  async save(options: { overwrite?: boolean } = {}): Promise<boolean> {
    const doc = this.#current;
    if (!doc) return false;
    const content = doc.model.getValue();
    if (doc.kind === 'kubectl-edit') {
      try {
        await answerKubectlEdit(doc.sessionId, doc.editId!, { action: 'save', content });
        doc.savedText = content;
        doc.sent = true;
        this.#say(this.#text.kubectlEditSent ?? '');
        this.#render();
        return true;
      } catch (error) {
        this.#say(fill(this.#text.saveFailed ?? '{message}', { message: describe(error) }));
        return false;
      }
    }
    try {
      const saved = await saveFile(doc.sessionId, doc.path, content, options.overwrite ? '*' : doc.version);
      doc.version = saved.version;
      doc.savedText = content;
      dropDraft(sessionStorageOrUndefined(), doc.sessionId, doc.path);
      this.#root.dataset.conflict = 'false';
      this.#renderBanner();
      this.#say(fill(this.#text.saved ?? '{path}', { path: doc.path }));
      this.#render();
      void this.refreshTree();
      return true;
    } catch (error) {
      if (error instanceof FilesApiError && error.status === 412) {
        this.#root.dataset.conflict = 'true';
        this.#renderBanner();
        // The banner (role="alert") says it; the status line is cleared rather than repeating it.
        this.#say('');
        return false;
      }
      this.#say(fill(this.#text.saveFailed ?? '{message}', { message: describe(error) }));
      return false;
    }
  }

  /** Saves the shown file, then types `kubectl apply -f FILE` into the terminal and runs it. */
  async apply(): Promise<void> {
    const doc = this.#current;
    if (doc?.kind !== 'file') return;
    if (!(await this.save())) return;
    const outcome = dispatchRunCommand(this.#root, {
      command: `kubectl apply -f ${doc.path}`,
      execute: true,
    });
    this.#say(outcome ? (this.#text.applySent ?? '') : (this.#text.noTerminal ?? ''));
  }

  async #cancelKubectlEdit(): Promise<void> {
    const doc = this.#current;
    if (doc?.kind !== 'kubectl-edit') return;
    try {
      await answerKubectlEdit(doc.sessionId, doc.editId!, { action: 'cancel' });
      this.#close(doc);
    } catch (error) {
      this.#say(fill(this.#text.saveFailed ?? '{message}', { message: describe(error) }));
    }
  }

  /** After a 412: take the disk's text (dropping the learner's) or write the learner's over it. */
  async #resolveConflict(choice: 'reload' | 'overwrite'): Promise<void> {
    const doc = this.#current;
    if (doc?.kind !== 'file') return;
    if (choice === 'overwrite') {
      await this.save({ overwrite: true });
      return;
    }
    try {
      const file = await fetchFile(doc.sessionId, doc.path);
      doc.version = file.version;
      doc.savedText = file.content;
      doc.model.setValue(file.content);
      dropDraft(sessionStorageOrUndefined(), doc.sessionId, doc.path);
      this.#root.dataset.conflict = 'false';
      this.#renderBanner();
      this.#render();
    } catch (error) {
      this.#say(fill(this.#text.openFailed ?? '{message}', { message: describe(error) }));
    }
  }

  async #loadSchema(sessionId: string): Promise<void> {
    if (this.#schemaFor === sessionId) return;
    this.#schemaFor = sessionId;
    try {
      configureManifestSchema(await fetchManifestSchema(sessionId), sessionId);
      this.#root.dataset.schema = 'ready';
    } catch {
      configureManifestSchema(undefined);
      this.#root.dataset.schema = 'unavailable';
      this.#say(this.#text.schemaUnavailable ?? '');
    }
  }

  #track(doc: Doc): void {
    this.#docs.set(doc.key, doc);
    doc.model.onDidChangeContent(() => {
      this.#render();
      if (doc.kind !== 'file') return;
      clearTimeout(this.#draftTimer);
      this.#draftTimer = setTimeout(() => this.#flushDrafts(), 300);
    });
  }

  /** Copies every dirty file's text to sessionStorage (and forgets clean ones). */
  #flushDrafts(): void {
    const storage = sessionStorageOrUndefined();
    for (const doc of this.#docs.values()) {
      if (doc.kind !== 'file') continue;
      if (this.#isDirty(doc))
        keepDraft(storage, doc.sessionId, doc.path, { content: doc.model.getValue(), version: doc.version });
      else dropDraft(storage, doc.sessionId, doc.path);
    }
  }

  #isDirty(doc: Doc): boolean {
    return doc.model.getValue() !== doc.savedText;
  }

  #activate(doc: Doc): void {
    if (this.#current && this.#current !== doc) this.#current.viewState = this.#editor.saveViewState();
    this.#current = doc;
    this.#editor.setModel(doc.model);
    if (doc.viewState) this.#editor.restoreViewState(doc.viewState);
    this.#root.dataset.conflict = 'false';
    this.#root.dataset.draft = 'false';
    this.#renderBanner();
    this.#render();
  }

  #close(doc: Doc): void {
    this.#docs.delete(doc.key);
    if (this.#current === doc) {
      this.#current = undefined;
      const next = [...this.#docs.values()].at(-1);
      if (next) this.#activate(next);
      else this.#editor.setModel(null);
    }
    doc.model.dispose();
    this.#renderBanner();
    this.#render();
  }

  #offerDraft(doc: Doc, draft: Draft): void {
    const banner = this.#part('[data-draft-banner]');
    this.#part('[data-draft-message]', banner).textContent = fill(this.#text.draftFound ?? '{path}', {
      path: doc.path,
    });
    const restore = this.#button('restore-draft');
    const discard = this.#button('discard-draft');
    const done = () => {
      this.#root.dataset.draft = 'false';
      restore.onclick = null;
      discard.onclick = null;
      this.#renderBanner();
    };
    restore.onclick = () => {
      doc.model.setValue(draft.content);
      doc.version = draft.version;
      done();
      this.#editor.focus();
    };
    discard.onclick = () => {
      dropDraft(sessionStorageOrUndefined(), doc.sessionId, doc.path);
      done();
      this.#editor.focus();
    };
    // Shown once the document is active (activate() clears the flags first).
    queueMicrotask(() => {
      if (this.#current === doc) {
        this.#root.dataset.draft = 'true';
        this.#renderBanner();
      }
    });
  }

  /** After a reload: says which files have kept drafts (they are offered when opened). */
  #offerKeptDrafts(): void {
    const sessionId = this.#sessionId;
    if (!sessionId) return;
    const paths = listDrafts(sessionStorageOrUndefined(), sessionId).filter((p) =>
      this.#treePaths.includes(p),
    );
    if (paths.length === 0) return;
    this.#say(fill(this.#text.draftsKept ?? '{paths}', { paths: paths.join(', ') }));
    this.#render();
  }

  #restyle(): void {
    monaco.editor.setTheme(readTheme() === 'dark' ? 'vs-dark' : 'vs');
    this.#editor.updateOptions({ fontSize: readProjectorMode() ? 22 : 14 });
  }

  #part<T extends HTMLElement = HTMLElement>(selector: string, within: HTMLElement = this.#root): T {
    const element = within.querySelector<T>(selector);
    if (!element) throw new Error(`the editor panel has no ${selector}`);
    return element;
  }

  #button(action: string): HTMLButtonElement {
    return this.#part<HTMLButtonElement>(`button[data-action="${action}"]`);
  }

  #say(message: string): void {
    this.#part('[data-editor-status]').textContent = message;
  }

  #renderTree(entries: readonly { path: string; kind: 'file' | 'directory' }[]): void {
    const list = this.#part('[data-tree]');
    const items: HTMLElement[] = [];
    for (const entry of entries) {
      const depth = entry.path.split('/').length - 1;
      const name = entry.path.split('/').at(-1) ?? entry.path;
      const item = document.createElement('li');
      item.style.setProperty('--depth', String(depth));
      if (entry.kind === 'directory') {
        item.className = 'rle-tree-folder';
        item.textContent = `${name}/`;
      } else {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'rle-tree-file';
        button.dataset.path = entry.path;
        button.textContent = name;
        button.title = entry.path;
        button.addEventListener('click', () => void this.openFile(entry.path));
        item.append(button);
      }
      items.push(item);
    }
    list.replaceChildren(...items);
    this.#render();
  }

  /** Up and Down move between the files of the list (Home and End to the ends). */
  #treeKey(event: KeyboardEvent): void {
    const buttons = [...this.#root.querySelectorAll<HTMLButtonElement>('[data-tree] button')];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    const target =
      event.key === 'ArrowDown'
        ? buttons[Math.min(index + 1, buttons.length - 1)]
        : event.key === 'ArrowUp'
          ? buttons[Math.max(index - 1, 0)]
          : event.key === 'Home'
            ? buttons[0]
            : event.key === 'End'
              ? buttons.at(-1)
              : undefined;
    if (!target) return;
    event.preventDefault();
    target.focus();
  }

  #renderBanner(): void {
    const doc = this.#current;
    const editBanner = this.#part('[data-kubectl-edit-banner]');
    editBanner.hidden = doc?.kind !== 'kubectl-edit';
    const reopened = this.#part('[data-kubectl-edit-reopened]');
    reopened.hidden = doc?.kind !== 'kubectl-edit' || this.#root.dataset.kubectlEditReopened !== 'true';
    const conflict = this.#part('[data-conflict-banner]');
    conflict.hidden = this.#root.dataset.conflict !== 'true';
    if (!conflict.hidden && doc)
      this.#part('[data-conflict-message]', conflict).textContent = fill(this.#text.conflict ?? '{path}', {
        path: doc.path,
      });
    this.#button('reload-disk').onclick = () => void this.#resolveConflict('reload');
    this.#button('overwrite').onclick = () => void this.#resolveConflict('overwrite');
    this.#part('[data-draft-banner]').hidden = this.#root.dataset.draft !== 'true';
  }

  /** Toolbar, open documents and file list from the current state. */
  #render(): void {
    const doc = this.#current;
    const dirty = doc ? this.#isDirty(doc) : false;
    this.#root.dataset.dirty = String(dirty);
    this.#root.dataset.doc = doc?.kind ?? 'none';
    this.#part('[data-current-path]').textContent = doc ? doc.title : (this.#text.noFile ?? '');
    this.#part('[data-dirty-marker]').hidden = !dirty;
    this.#button('save').disabled = !doc || (doc.kind === 'kubectl-edit' && doc.sent === true);
    this.#button('apply').hidden = doc?.kind !== 'file';
    this.#button('apply').disabled = !doc;
    this.#part('[data-editor-empty]').hidden = doc !== undefined;

    const tabs = this.#part('[data-docs]');
    const buttons: HTMLElement[] = [];
    for (const open of this.#docs.values()) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'rle-doc-tab';
      button.dataset.key = open.key;
      button.setAttribute('aria-pressed', String(open === doc));
      const openDirty = this.#isDirty(open);
      button.textContent = `${open.kind === 'file' ? (open.path.split('/').at(-1) ?? open.path) : open.title}${openDirty ? ' ●' : ''}`;
      button.title = openDirty ? `${open.title} (${this.#text.unsavedLabel ?? ''})` : open.title;
      button.addEventListener('click', () => this.#activate(open));
      buttons.push(button);
    }
    tabs.replaceChildren(...buttons);
    tabs.hidden = buttons.length === 0;

    const drafts = new Set(this.#sessionId ? listDrafts(sessionStorageOrUndefined(), this.#sessionId) : []);
    for (const button of this.#root.querySelectorAll<HTMLButtonElement>('[data-tree] button')) {
      const path = button.dataset.path ?? '';
      const open = this.#docs.get(`file:${path}`);
      const isCurrent = doc?.key === `file:${path}`;
      if (isCurrent) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
      const unsaved = open ? this.#isDirty(open) : drafts.has(path);
      button.dataset.dirty = String(unsaved);
      button.setAttribute('aria-label', unsaved ? `${path} (${this.#text.unsavedLabel ?? ''})` : path);
    }
  }
}

function sessionStorageOrUndefined(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (error instanceof FilesApiError) return error.hint ? `${error.message} ${error.hint}` : error.message;
  return String(error);
}

/** Builds the workbench in `root` and starts loading the file list. */
export function createWorkbench(root: HTMLElement, text: EditorText): Workbench {
  const workbench = new Workbench(root, text);
  void workbench.start();
  return workbench;
}
