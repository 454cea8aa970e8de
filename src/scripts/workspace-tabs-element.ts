/**
 * `<rl-workspace-tabs>`: the tab strip above the terminal that switches between the workspace's
 * tools (live view, editor). It follows the WAI-ARIA tabs pattern: one tab in the Tab order,
 * arrow keys, Home and End move between tabs, and the active tab's panel is the only one shown.
 * The tools can be hidden so the terminal takes the whole workspace (a projector with little
 * height); that choice and the active tab are remembered for the browser.
 *
 * Other scripts bring a tool forward with `showWorkspacePanel('editor')`, e.g. when a lesson
 * opens a file or `kubectl edit` waits for the editor.
 */

/** Dispatched on `document`; the tabs element shows the named panel (and the tools if hidden). */
export const SHOW_PANEL_EVENT = 'rl:show-panel';

/** The workspace's tools, as the `data-panel` of each tab and panel. */
export type WorkspacePanel = 'live' | 'editor';

export interface ShowPanelDetail {
  panel: WorkspacePanel;
}

/** Asks the workspace to show `panel`; does nothing on pages without a workspace. */
export function showWorkspacePanel(panel: WorkspacePanel): void {
  document.dispatchEvent(new CustomEvent<ShowPanelDetail>(SHOW_PANEL_EVENT, { detail: { panel } }));
}

const STORAGE_KEY = 'rollout-lab:workspace';

interface StoredLayout {
  panel: WorkspacePanel;
  collapsed: boolean;
}

function readLayout(): StoredLayout {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<StoredLayout> | null;
    return {
      panel: value?.panel === 'editor' ? 'editor' : 'live',
      collapsed: value?.collapsed === true,
    };
  } catch {
    return { panel: 'live', collapsed: false };
  }
}

function writeLayout(layout: StoredLayout): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(layout));
  } catch {
    // Storage may be full or disabled; the layout then lasts for this page only.
  }
}

class WorkspaceTabsElement extends HTMLElement {
  #layout: StoredLayout = { panel: 'live', collapsed: false };

  connectedCallback(): void {
    this.#layout = readLayout();
    for (const tab of this.#tabs()) {
      tab.addEventListener('click', () => this.#select(tab.dataset.panel as WorkspacePanel, false));
      tab.addEventListener('keydown', (event) => this.#onKey(event, tab));
    }
    this.querySelector<HTMLButtonElement>('[data-action="toggle-tools"]')?.addEventListener('click', () => {
      this.#layout.collapsed = !this.#layout.collapsed;
      this.#render();
      writeLayout(this.#layout);
    });
    document.addEventListener(SHOW_PANEL_EVENT, (event) => {
      const { panel } = (event as CustomEvent<ShowPanelDetail>).detail;
      this.#layout.collapsed = false;
      this.#select(panel, false);
    });
    this.#render();
  }

  #tabs(): HTMLButtonElement[] {
    return [...this.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  }

  #select(panel: WorkspacePanel, focus: boolean): void {
    this.#layout.panel = panel;
    this.#render();
    writeLayout(this.#layout);
    if (focus)
      this.#tabs()
        .find((tab) => tab.dataset.panel === panel)
        ?.focus();
  }

  #onKey(event: KeyboardEvent, tab: HTMLButtonElement): void {
    const tabs = this.#tabs();
    const index = tabs.indexOf(tab);
    const target =
      event.key === 'ArrowRight'
        ? tabs[(index + 1) % tabs.length]
        : event.key === 'ArrowLeft'
          ? tabs[(index - 1 + tabs.length) % tabs.length]
          : event.key === 'Home'
            ? tabs[0]
            : event.key === 'End'
              ? tabs.at(-1)
              : undefined;
    if (!target) return;
    event.preventDefault();
    this.#select(target.dataset.panel as WorkspacePanel, true);
  }

  #render(): void {
    const { panel, collapsed } = this.#layout;
    this.dataset.collapsed = String(collapsed);
    for (const tab of this.#tabs()) {
      const selected = tab.dataset.panel === panel;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
    }
    for (const section of this.querySelectorAll<HTMLElement>('[role="tabpanel"]')) {
      section.hidden = collapsed || section.dataset.panel !== panel;
    }
    const toggle = this.querySelector<HTMLButtonElement>('[data-action="toggle-tools"]');
    if (toggle) {
      toggle.setAttribute('aria-expanded', String(!collapsed));
      toggle.textContent = collapsed ? (toggle.dataset.expand ?? '') : (toggle.dataset.collapse ?? '');
    }
  }
}

if (!customElements.get('rl-workspace-tabs'))
  customElements.define('rl-workspace-tabs', WorkspaceTabsElement);
