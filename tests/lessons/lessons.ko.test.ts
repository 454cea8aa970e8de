/**
 * Every lesson in Korean, followed in a fresh sandbox: see lesson-suite.ts.
 */
import { defineLessonRuns } from './lesson-suite.ts';

defineLessonRuns('ko');
