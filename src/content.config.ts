import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { lessonSchema } from './schemas/lesson.ts';

/**
 * Lessons live outside `src/`, in `content/lessons/{locale}/{slug}.mdx`, beside the exercise
 * manifests they teach. Entry ids keep the locale folder (`ko/how-rollouts-happen`): the glob
 * loader would otherwise use the `slug` field as the id, and both languages share a slug.
 */
const lessons = defineCollection({
  loader: glob({
    pattern: '*/*.mdx',
    base: './content/lessons',
    generateId: ({ entry }) => entry.replace(/\.mdx$/, ''),
  }),
  schema: lessonSchema,
});

/** The site's content collections. */
export const collections = { lessons };
