/**
 * Progress on disk (node:sqlite) in a temporary folder: first pass kept, never un-recorded,
 * cleared on "start over", surviving a reopen; the schema version; clear errors for a damaged
 * file, a newer schema and a folder that cannot be made. The learner cookie and the service that
 * ties sessions to learners.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createProgressService,
  formatLearnerCookie,
  isLearnerId,
  newLearnerId,
  openProgressStore,
  PROGRESS_SCHEMA_VERSION,
  type ProgressStore,
  ProgressStoreError,
  readLearnerId,
} from '../../../sandbox/progress/index.ts';
import { ProgressResponse, type StepChecksResponse } from '../../../src/protocol/index.ts';

let dir: string;
const open: ProgressStore[] = [];
const openStore = (path = join(dir, 'progress.sqlite')): ProgressStore => {
  const store = openProgressStore(path);
  open.push(store);
  return store;
};
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rl-progress-'));
});
afterEach(() => {
  for (const store of open.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

const ALICE = 'AAAAAAAAAAAAAAAAAAAAAA';
const BOB = 'BBBBBBBBBBBBBBBBBBBBBB';

describe('progress store', () => {
  it('keeps the first time a step was passed and never takes a pass back', () => {
    const store = openStore();
    expect(store.recordPassed(ALICE, ['scale-is-not-a-rollout'], 1000)).toEqual(['scale-is-not-a-rollout']);
    expect(store.recordPassed(ALICE, ['scale-is-not-a-rollout', 'set-image-rollout'], 2000)).toEqual([
      'set-image-rollout',
    ]);
    expect(store.recordPassed(ALICE, [], 3000)).toEqual([]);
    expect(store.passedSteps(ALICE)).toEqual(
      new Map([
        ['scale-is-not-a-rollout', 1000],
        ['set-image-rollout', 2000],
      ]),
    );
    expect(store.passedSteps(BOB)).toEqual(new Map());
  });

  it('clears one learner only', () => {
    const store = openStore();
    store.recordPassed(ALICE, ['a'], 1);
    store.recordPassed(BOB, ['a', 'b'], 1);
    expect(store.clear(BOB)).toBe(2);
    expect(store.passedSteps(BOB).size).toBe(0);
    expect(store.passedSteps(ALICE).size).toBe(1);
  });

  it('survives closing and reopening the same file, with the schema version set', () => {
    const path = join(dir, 'nested', 'folder', 'progress.sqlite');
    const first = openStore(path);
    first.recordPassed(ALICE, ['record-change-cause'], 42);
    first.close();
    const second = openStore(path);
    expect(second.passedSteps(ALICE)).toEqual(new Map([['record-change-cause', 42]]));
    second.close();
    const raw = new DatabaseSync(path);
    expect(raw.prepare('PRAGMA user_version').get()).toEqual({ user_version: PROGRESS_SCHEMA_VERSION });
    raw.close();
  });

  it('refuses a damaged file with the path and what to do', () => {
    const path = join(dir, 'progress.sqlite');
    writeFileSync(
      path,
      'this is not an SQLite database, just text that someone put here by mistake\n'.repeat(20),
    );
    const error = (() => {
      try {
        openStore(path);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ProgressStoreError);
    expect((error as ProgressStoreError).message).toContain(path);
    expect((error as ProgressStoreError).hint).toMatch(/move it away|SANDBOX_DATA_DIR/);
  });

  it('refuses a file from a newer schema instead of guessing', () => {
    const path = join(dir, 'progress.sqlite');
    const raw = new DatabaseSync(path);
    raw.exec(`PRAGMA user_version = ${PROGRESS_SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openStore(path)).toThrow(/schema version 2.*knows up to 1/);
  });

  it('says which folder cannot be made when the data folder is not usable', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const path = join(file, 'progress.sqlite');
    expect(() => openStore(path)).toThrow(ProgressStoreError);
    expect(() => openStore(path)).toThrow(path);
  });
});

describe('learner cookie', () => {
  it('makes 22-character random ids and reads only well-formed ones', () => {
    const id = newLearnerId();
    expect(isLearnerId(id)).toBe(true);
    expect(newLearnerId()).not.toBe(id);
    expect(readLearnerId(`rl_session=x.y; rl_learner=${id}`)).toBe(id);
    expect(readLearnerId('rl_learner=short')).toBeUndefined();
    expect(readLearnerId(`rl_learner=../../${id}`)).toBeUndefined();
    expect(readLearnerId(`rl_learner=bad!; rl_learner=${id}`)).toBe(id);
    expect(readLearnerId(undefined)).toBeUndefined();
  });

  it('is HttpOnly, SameSite=Lax, Path=/ and lasts a year', () => {
    expect(formatLearnerCookie(ALICE, { secure: false })).toBe(
      `rl_learner=${ALICE}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000`,
    );
    expect(formatLearnerCookie(ALICE, { secure: true })).toMatch(/; Secure$/);
  });
});

describe('progress service', () => {
  const verdicts = (statuses: Record<string, 'passed' | 'failed' | 'pending'>): StepChecksResponse => ({
    steps: Object.fromEntries(Object.entries(statuses).map(([id, status]) => [id, { status, results: [] }])),
  });

  it('identifies a browser by its cookie, minting one (with Set-Cookie) only when absent', () => {
    const service = createProgressService({ store: openStore(), newId: () => BOB });
    expect(service.identify(`rl_learner=${ALICE}`)).toEqual({ learnerId: ALICE, setCookie: undefined });
    const fresh = service.identify('rl_session=a.b');
    expect(fresh.learnerId).toBe(BOB);
    expect(fresh.setCookie).toContain(`rl_learner=${BOB}`);
  });

  it('records passed verdicts only, and reads them back as RFC 3339 times', () => {
    let now = Date.parse('2026-11-27T18:00:00Z');
    const service = createProgressService({ store: openStore(), now: () => now });
    expect(service.recordVerdicts(ALICE, verdicts({ a: 'passed', b: 'failed', c: 'pending' }))).toEqual([
      'a',
    ]);
    now += 60_000;
    // A step that fails later stays passed; a newly passed one gets its own time.
    expect(service.recordVerdicts(ALICE, verdicts({ a: 'failed', b: 'passed' }))).toEqual(['b']);
    expect(service.recordVerdicts(undefined, verdicts({ c: 'passed' }))).toEqual([]);
    const answer = ProgressResponse.parse(service.read(ALICE));
    expect(answer).toEqual({
      steps: { a: { passedAt: '2026-11-27T18:00:00.000Z' }, b: { passedAt: '2026-11-27T18:01:00.000Z' } },
    });
    expect(service.clear(ALICE)).toBe(2);
    expect(service.read(ALICE)).toEqual({ steps: {} });
  });

  it("credits the browser's own cookie, else the learner who created the session", () => {
    const service = createProgressService({ store: openStore(), newId: () => BOB });
    service.bindSession('s1', ALICE);
    // A script with only a bearer token: a new id is minted for it, but the session's learner is credited.
    expect(service.learnerForSession('s1', service.identify(undefined))).toBe(ALICE);
    // The browser holds another learner cookie (two first requests raced): the session follows it.
    expect(service.learnerForSession('s1', service.identify(`rl_learner=${BOB}`))).toBe(BOB);
    expect(service.learnerOf('s1')).toBe(BOB);
    service.forgetSession('s1');
    expect(service.learnerOf('s1')).toBeUndefined();
  });

  it('logs a failed write instead of failing the request', () => {
    const store = openStore();
    const logged: string[] = [];
    const service = createProgressService({ store, log: (message) => logged.push(message) });
    store.close();
    expect(service.recordVerdicts(ALICE, verdicts({ a: 'passed' }))).toEqual([]);
    expect(logged[0]).toContain('recording progress');
  });
});
