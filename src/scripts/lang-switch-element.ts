/**
 * `<rl-lang-switch>` around the language links: keeps the learner's place when they switch. The
 * server renders each link to the same lesson in the other language; here the current step anchor
 * (the URL hash, or the step in view that `<rl-step-tracker>` marks) is added just before the link
 * is followed, so a learner on step 5 in Korean lands on step 5 in English.
 */

import { isLocale } from '../i18n/locales.ts';
import { translatePath } from '../lessons/paths.ts';

/** The id of the step the learner is on: the tracker's current step, else the URL hash. */
function findCurrentAnchor(): string {
  const current = document.querySelector('[data-step-link][aria-current="step"]');
  const id = current?.getAttribute('data-step-link');
  if (id) return `#${id}`;
  return location.hash;
}

class LangSwitchElement extends HTMLElement {
  connectedCallback(): void {
    for (const link of this.querySelectorAll<HTMLAnchorElement>('a[hreflang]')) {
      const locale = link.hreflang;
      if (!isLocale(locale)) continue;
      // Pointer, keyboard and middle-click all pass through one of these before following the link.
      const update = () => {
        link.href = translatePath(location.pathname, findCurrentAnchor(), locale);
      };
      link.addEventListener('pointerdown', update);
      link.addEventListener('focus', update);
      link.addEventListener('click', update);
    }
  }
}

if (!customElements.get('rl-lang-switch')) customElements.define('rl-lang-switch', LangSwitchElement);
