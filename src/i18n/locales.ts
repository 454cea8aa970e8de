/**
 * The course's languages. Korean is the course's original voice; English is a full translation.
 * Keep in step with `i18n.locales` in astro.config.mjs.
 */
export const LOCALES = ['ko', 'en'] as const;

/** One of the course's languages. */
export type Locale = (typeof LOCALES)[number];

/** The language of the course's original text, listed first everywhere. */
export const DEFAULT_LOCALE: Locale = 'ko';

/** Names of the languages in their own language, for the language switch. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { ko: '한국어', en: 'English' };

/** True when `value` names one of the course's languages. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * Reads the locale Astro resolved for the current page (`Astro.currentLocale`), falling back to
 * the default for pages outside a locale folder such as `/`.
 */
export function resolveLocale(current: string | undefined): Locale {
  return isLocale(current) ? current : DEFAULT_LOCALE;
}
