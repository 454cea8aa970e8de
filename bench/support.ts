/**
 * Shared helpers for benchmarks: reading the chapter's manifests.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../sandbox/cluster/api/objects.ts';

/** The chapter's exercise folder. */
export const EXERCISES_DIR = resolve(import.meta.dirname, '../content/exercises/ch09');

/** Parses every YAML document of an exercise file (relative to the exercise folder). */
export function loadManifests(relativePath: string): KubeObject[] {
  const text = readFileSync(resolve(EXERCISES_DIR, relativePath), 'utf8');
  return parseAllDocuments(text)
    .map((doc) => doc.toJSON() as KubeObject | null)
    .filter((doc): doc is KubeObject => doc !== null);
}
