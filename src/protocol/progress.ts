/**
 * The learner's progress as the server keeps it (per browser, in SQLite): `GET /api/progress`
 * answers it, `DELETE /api/progress` clears it ("start over"). A step appears once the server has
 * judged it passed in one of the learner's sessions, and stays.
 *
 * ```
 * {"steps":{"scale-is-not-a-rollout":{"passedAt":"2026-11-27T18:42:07.120Z"}}}
 * ```
 */
import { z } from 'zod';

/** One passed step. */
export const PassedStepInfo = z.object({
  /** When the server first judged the step passed (RFC 3339). */
  passedAt: z.string(),
});
export type PassedStepInfo = z.infer<typeof PassedStepInfo>;

/** Answer of `GET /api/progress` (and of `DELETE /api/progress`, then empty). */
export const ProgressResponse = z.object({
  steps: z.record(z.string(), PassedStepInfo),
});
export type ProgressResponse = z.infer<typeof ProgressResponse>;
