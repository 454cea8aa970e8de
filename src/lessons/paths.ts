import type { Locale } from '../i18n/locales.ts';

/** The chapter every lesson of this course belongs to, as it appears in URLs. */
export const CHAPTER_SEGMENT = 'ch09';

/** URL of a locale's course overview: `/ko/`. */
export function buildOverviewPath(locale: Locale): string {
  return `/${locale}/`;
}

/** URL of one lesson: `/ko/ch09/how-rollouts-happen/`. */
export function buildLessonPath(locale: Locale, slug: string): string {
  return `/${locale}/${CHAPTER_SEGMENT}/${slug}/`;
}

/**
 * The same place in another language: the lesson (or overview) path with its locale segment
 * swapped, and the step anchor kept. Paths outside a locale go to the other locale's overview.
 *
 * | path | hash | to | result |
 * | --- | --- | --- | --- |
 * | `/ko/ch09/rollouts-and-rollbacks/` | `#undo-to-revision` | en | `/en/ch09/rollouts-and-rollbacks/#undo-to-revision` |
 * | `/ko/` | `` | en | `/en/` |
 * | `/` | `` | en | `/en/` |
 */
export function translatePath(pathname: string, hash: string, to: Locale): string {
  const match = /^\/(ko|en)(\/.*)?$/.exec(pathname);
  const rest = match ? (match[2] ?? '/') : '/';
  const anchor = hash === '' || hash === '#' ? '' : hash.startsWith('#') ? hash : `#${hash}`;
  return `/${to}${rest}${anchor}`;
}
