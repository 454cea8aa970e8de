/**
 * Build-time access to the lessons (uses `astro:content`, so it never reaches the browser). Every
 * page gets its lessons from here, checked once: a lesson whose file name, steps or translation
 * disagree stops the build with a message that says what to fix.
 */

import { type CollectionEntry, getCollection } from 'astro:content';
import { DEFAULT_LOCALE, isLocale, LOCALES, type Locale } from '../i18n/locales.ts';
import { compareStepOutlines, extractStepOutlines, findStepProblems, type StepOutline } from './steps.ts';

/** A lesson ready for a page: its entry, language and step outline. */
export interface Lesson {
  entry: CollectionEntry<'lessons'>;
  locale: Locale;
  steps: StepOutline[];
}

/** A lesson file that cannot be built into a page, with what to change. */
export class LessonContentError extends Error {
  constructor(file: string, problems: readonly string[]) {
    super(`content/lessons/${file}.mdx:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'LessonContentError';
  }
}

let cache: Promise<Map<Locale, Lesson[]>> | undefined;

async function loadAll(): Promise<Map<Locale, Lesson[]>> {
  const byLocale = new Map<Locale, Lesson[]>(LOCALES.map((l) => [l, []]));
  for (const entry of await getCollection('lessons')) {
    const [folder, file] = entry.id.split('/');
    if (!isLocale(folder) || file === undefined) {
      throw new LessonContentError(entry.id, [`put lessons in a locale folder: ${LOCALES.join(' or ')}`]);
    }
    const problems: string[] = [];
    if (entry.data.slug !== file)
      problems.push(`slug is "${entry.data.slug}" but the file is ${file}.mdx; make them equal`);
    const steps = extractStepOutlines(entry.body ?? '');
    problems.push(...findStepProblems(steps, entry.data.exercises));
    if (problems.length > 0) throw new LessonContentError(entry.id, problems);
    byLocale.get(folder)!.push({ entry, locale: folder, steps });
  }
  for (const list of byLocale.values()) list.sort((a, b) => a.entry.data.order - b.entry.data.order);
  checkTranslations(byLocale);
  return byLocale;
}

/** Every lesson exists in every language, in the same order, with the same steps. */
function checkTranslations(byLocale: Map<Locale, Lesson[]>): void {
  const originals = byLocale.get(DEFAULT_LOCALE)!;
  for (const locale of LOCALES) {
    if (locale === DEFAULT_LOCALE) continue;
    const translations = byLocale.get(locale)!;
    for (const original of originals) {
      const { slug, order } = original.entry.data;
      const translation = translations.find((t) => t.entry.data.slug === slug);
      if (!translation)
        throw new LessonContentError(`${locale}/${slug}`, [`translate ${DEFAULT_LOCALE}/${slug}.mdx`]);
      const problems = compareStepOutlines(original.steps, translation.steps, locale);
      if (translation.entry.data.order !== order)
        problems.push(`order is ${translation.entry.data.order}, the original's is ${order}`);
      if (problems.length > 0) throw new LessonContentError(translation.entry.id, problems);
    }
    const extra = translations.find((t) => !originals.some((o) => o.entry.data.slug === t.entry.data.slug));
    if (extra) {
      throw new LessonContentError(extra.entry.id, [
        `there is no ${DEFAULT_LOCALE} original; write it first`,
      ]);
    }
  }
}

/** The lessons of one language, in chapter order. */
export async function getLessons(locale: Locale): Promise<Lesson[]> {
  cache ??= loadAll();
  return (await cache).get(locale) ?? [];
}
