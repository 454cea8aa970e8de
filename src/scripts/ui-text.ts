/**
 * The interface text the browser scripts need, read from the JSON block that BaseLayout.astro
 * renders once per page (`<script type="application/json" id="rollout-lab-ui">`), so scripts
 * carry no text of their own and the page's language decides.
 */

import { formatMessage } from '../i18n/format.ts';
import type { ClientUiKey } from '../i18n/ui.ts';

let table: Partial<Record<ClientUiKey, string>> | undefined;

/** The page's text for `key`, placeholders filled; the key itself when the page has no such text. */
export function readUiText(key: ClientUiKey, values: Record<string, string | number> = {}): string {
  if (!table) {
    try {
      table = JSON.parse(document.getElementById('rollout-lab-ui')?.textContent ?? '{}');
    } catch {
      table = {};
    }
  }
  return formatMessage(table?.[key] ?? key, values);
}
