/**
 * The learner's display settings, kept in localStorage and mirrored on `<html>` as data
 * attributes (`data-theme`, `data-projector`) that the CSS reads. The inline script in
 * `BaseLayout.astro` applies the stored values before the first paint with the same keys.
 */

import { SETTINGS_CHANGED_EVENT } from './events.ts';

/** localStorage keys; the inline head script in BaseLayout.astro repeats the first two. */
export const STORAGE_KEYS = {
  theme: 'rollout-lab:theme',
  projector: 'rollout-lab:projector',
  screenReader: 'rollout-lab:screen-reader',
  session: 'rollout-lab:session',
} as const;

/** The page's colour theme. */
export type Theme = 'light' | 'dark';

/** Reads a stored value; private windows and disabled storage read as unset. */
export function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Stores a value when storage is available; the setting then lasts only for this page. */
export function writeStored(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage refused (private mode, quota): the setting still applies to this page.
  }
}

/** The theme shown now. */
export function readTheme(): Theme {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

/** True when the large-text projector mode is on. */
export function readProjectorMode(): boolean {
  return document.documentElement.dataset.projector === 'on';
}

/** Shows and stores a theme, then tells the page (the terminal recolours itself). */
export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  writeStored(STORAGE_KEYS.theme, theme);
  document.dispatchEvent(new CustomEvent(SETTINGS_CHANGED_EVENT));
}

/** Turns projector mode on or off, stores it, then tells the page (the terminal resizes its font). */
export function applyProjectorMode(on: boolean): void {
  if (on) document.documentElement.dataset.projector = 'on';
  else delete document.documentElement.dataset.projector;
  writeStored(STORAGE_KEYS.projector, on ? 'on' : 'off');
  document.dispatchEvent(new CustomEvent(SETTINGS_CHANGED_EVENT));
}
