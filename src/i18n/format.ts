/**
 * Fills `{name}` placeholders; unknown names are left as they are so that a missing value shows.
 * `formatMessage('{n}단계', { n: 3 })` is `3단계`. Kept apart from the text tables so the
 * browser bundle carries the function without the tables.
 */
export function formatMessage(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}
