/**
 * `<rl-setting-toggle data-setting="theme|projector">` around a `<button aria-pressed>`: turns the
 * dark theme or the projector mode on and off. The button is rendered on the server with
 * `aria-pressed="false"` and corrected here from the state the head script applied.
 */

import { applyProjectorMode, applyTheme, readProjectorMode, readTheme } from './preferences.ts';

type Setting = 'theme' | 'projector';

function readSetting(setting: Setting): boolean {
  return setting === 'theme' ? readTheme() === 'dark' : readProjectorMode();
}

function writeSetting(setting: Setting, on: boolean): void {
  if (setting === 'theme') applyTheme(on ? 'dark' : 'light');
  else applyProjectorMode(on);
}

class SettingToggleElement extends HTMLElement {
  connectedCallback(): void {
    const button = this.querySelector('button');
    const setting = this.dataset.setting;
    if (!button || (setting !== 'theme' && setting !== 'projector')) return;
    button.setAttribute('aria-pressed', String(readSetting(setting)));
    button.addEventListener('click', () => {
      const on = !readSetting(setting);
      writeSetting(setting, on);
      button.setAttribute('aria-pressed', String(on));
    });
  }
}

if (!customElements.get('rl-setting-toggle'))
  customElements.define('rl-setting-toggle', SettingToggleElement);
