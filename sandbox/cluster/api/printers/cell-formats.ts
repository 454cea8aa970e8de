/**
 * Small formatters shared by several printers: labels, label selectors, container lists, access
 * modes. Each reproduces the string form kube-apiserver puts in a Table cell.
 */
import type { LabelSelector } from '../objects.ts';

/** Keys sorted, `k=v` pairs joined by commas; `<none>` when there are none (`app=vweb,tier=web`). */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort(compareStrings);
  if (keys.length === 0) return '<none>';
  return keys.map((key) => `${key}=${labels?.[key] ?? ''}`).join(',');
}

/** Byte-wise string order, as Go's sort.Strings uses (not locale order). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

interface SelectorRequirement {
  key: string;
  text: string;
}

/**
 * The selector as a label-query string: requirements sorted by key, `k=v` for matchLabels,
 * `k in (a,b)`, `k notin (a)`, `k` and `!k` for expressions, values sorted. An empty or missing
 * selector gives the empty string (it selects everything, or nothing, and says so with no words).
 */
export function formatSelectorString(selector: LabelSelector | undefined | null): string {
  if (!selector) return '';
  const requirements: SelectorRequirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    requirements.push({ key, text: `${key}=${value}` });
  }
  for (const expression of selector.matchExpressions ?? []) {
    requirements.push({ key: expression.key, text: formatRequirement(expression) });
  }
  requirements.sort((a, b) => compareStrings(a.key, b.key));
  return requirements.map((requirement) => requirement.text).join(',');
}

function formatRequirement(expression: NonNullable<LabelSelector['matchExpressions']>[number]): string {
  const values = [...(expression.values ?? [])].sort(compareStrings).join(',');
  switch (expression.operator) {
    case 'In':
      return `${expression.key} in (${values})`;
    case 'NotIn':
      return `${expression.key} notin (${values})`;
    case 'Exists':
      return expression.key;
    case 'DoesNotExist':
      return `!${expression.key}`;
    default:
      return `${expression.key} ${String(expression.operator)} (${values})`;
  }
}

/** Like {@link formatSelectorString}, but `<none>` when the selector has no requirements. */
export function formatLabelSelector(selector: LabelSelector | undefined | null): string {
  const text = formatSelectorString(selector);
  return text === '' ? '<none>' : text;
}

interface NamedImage {
  name?: string;
  image?: string;
}

/** Container names and images, each list comma-joined in spec order (`web,sidecar`). */
export function layoutContainerCells(containers: readonly NamedImage[] | undefined | null): {
  names: string;
  images: string;
} {
  const list = containers ?? [];
  return {
    names: list.map((container) => container.name ?? '').join(','),
    images: list.map((container) => container.image ?? '').join(','),
  };
}

/** `host:port`, with IPv6 literals in brackets (`[fd00::1]:80`), as Go's net.JoinHostPort. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

const ACCESS_MODE_ABBREVIATIONS: readonly [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** Volume access modes abbreviated in a fixed order, whatever order the spec lists them in. */
export function formatAccessModes(modes: readonly string[] | undefined | null): string {
  const present = new Set(modes ?? []);
  return ACCESS_MODE_ABBREVIATIONS.filter(([mode]) => present.has(mode))
    .map(([, short]) => short)
    .join(',');
}

/** A value read from an object that should be a string; anything else prints as empty. */
export function readString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A value read from an object that should be an integer; anything else counts as 0. */
export function readInteger(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : 0;
}

/** Number of keys of a map-valued field (`data`, `binaryData`); 0 when absent. */
export function countKeys(value: unknown): number {
  return value !== null && typeof value === 'object' ? Object.keys(value).length : 0;
}
