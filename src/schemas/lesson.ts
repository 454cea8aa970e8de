/**
 * The frontmatter of a lesson (`content/lessons/{ko,en}/*.mdx`). One schema for both languages:
 * a lesson and its translation share `slug`, `order`, `section` and `exercises`, and differ only
 * in their text. Hover a field in an editor to read what it is for.
 */

import { z } from 'astro/zod';

/** Exercise numbers of chapter 9, as numbered in `shared/CHAPTER9.md`. */
export const FIRST_EXERCISE = 1;
/** The last exercise of the chapter (clean-up). */
export const LAST_EXERCISE = 16;

const KEBAB_CASE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Schema of a lesson's frontmatter. */
export const lessonSchema = z.object({
  /** The lesson's heading and page title, in the file's language. */
  title: z.string().trim().min(1),
  /** One or two sentences on what the learner will do and see; shown on the course overview and as the page description. */
  description: z.string().trim().min(1),
  /** Position in the chapter, from 1: orders the overview and the previous/next links. Equal in every language. */
  order: z.number().int().positive(),
  /** The chapter section this lesson teaches, such as `9.1`. */
  section: z.string().regex(/^9\.[1-9]$/, 'a section of chapter 9, such as "9.1"'),
  /** URL segment of the lesson (`/ko/ch09/{slug}/`), kebab-case, equal to the file name and the same in every language. */
  slug: z.string().regex(KEBAB_CASE, 'kebab-case, such as "how-rollouts-happen"'),
  /** Numbers of the chapter's exercises (1–16 in CHAPTER9.md) this lesson covers, in order; each is one `<Step>`. */
  exercises: z
    .array(z.number().int().min(FIRST_EXERCISE).max(LAST_EXERCISE))
    .min(1)
    .refine(
      (list) => list.every((n, i) => i === 0 || n > list[i - 1]!),
      'exercise numbers in increasing order',
    ),
  /** Estimated minutes to read the lesson and run every step, waits for rollouts included. */
  minutes: z.number().int().positive().max(180),
});

/** A lesson's frontmatter after validation. */
export type LessonFrontmatter = z.infer<typeof lessonSchema>;
