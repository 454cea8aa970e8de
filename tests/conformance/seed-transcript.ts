/**
 * Reads the learner's notes (a copy of shared/seeds/ch09-rollout-notes.ko.md in tests/fixtures): each `PS …> kubectl …` line
 * is a command, and the lines after it up to the next blank line are what a real cluster printed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** One command of the transcript and its real output. */
export interface TranscriptEntry {
  command: string;
  output: string[];
}

/** Where the seed notes live beside the repository. */
export const SEED_NOTES = resolve(import.meta.dirname, '../fixtures/seed-ch09-rollout-notes.ko.md');

/** Parses the transcript; Windows paths (`.\vweb\`) become the POSIX paths kubectl takes here. */
export function readSeedTranscript(path = SEED_NOTES): TranscriptEntry[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const entries: TranscriptEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = /^PS [^>]*>\s*(kubectl .*)$/.exec(lines[i]!);
    if (!match) continue;
    const command = match[1]!.trim().replace(/\.\\/g, '').replace(/\\/g, '/');
    const output: string[] = [];
    for (let j = i + 1; j < lines.length && lines[j]!.trim() !== '' && !lines[j]!.startsWith('PS '); j++)
      output.push(lines[j]!);
    entries.push({ command, output });
  }
  return entries;
}
