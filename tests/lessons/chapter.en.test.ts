/**
 * The whole chapter in English in one sandbox, lesson after lesson: see lesson-suite.ts.
 */
import { defineChapterRun } from './lesson-suite.ts';

defineChapterRun('en');
