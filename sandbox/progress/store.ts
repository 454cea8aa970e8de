/**
 * The learners' progress on disk, with Node's built-in SQLite (`node:sqlite`, no native addon to
 * build): which steps each learner has passed and when they first did. Sessions and namespaces
 * come and go (idle expiry, a server restart); this file is what lets a learner who comes back
 * find their steps done.
 *
 * A pass is recorded once and never taken back: checks judge the cluster as it is now, the next
 * step changes it, and progress is what the learner achieved. Only "start over" clears it.
 *
 * The schema is versioned with SQLite's `user_version`; `MIGRATIONS[n]` takes a database from
 * version n to n + 1, so a file written by an older server is brought up to date on open.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** The file name inside the data folder. */
export const PROGRESS_DB_FILE = 'progress.sqlite';

/** Each entry moves the schema one version up; the database's `user_version` says how many ran. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE passed_steps (
     learner_id TEXT NOT NULL,
     step_id    TEXT NOT NULL,
     passed_at  INTEGER NOT NULL, -- ms since the epoch, the first time the step was judged passed
     PRIMARY KEY (learner_id, step_id)
   ) WITHOUT ROWID`,
];

/** The schema version this code writes. */
export const PROGRESS_SCHEMA_VERSION = MIGRATIONS.length;

/** The database cannot be used; `hint` says what to do. */
export class ProgressStoreError extends Error {
  readonly hint: string;
  readonly path: string;
  constructor(message: string, path: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProgressStoreError';
    this.path = path;
    this.hint = hint;
  }
}

/** One learner's passed steps: step id → when it was first passed (ms since the epoch). */
export type PassedSteps = Map<string, number>;

/** The progress database. */
export interface ProgressStore {
  readonly path: string;
  /**
   * Records that `learnerId` passed these steps at `passedAt`; steps already recorded keep their
   * first time. Returns the ids that were new.
   */
  recordPassed(learnerId: string, stepIds: readonly string[], passedAt: number): string[];
  /** Every step the learner has passed. */
  passedSteps(learnerId: string): PassedSteps;
  /** Forgets the learner's progress ("start over"); returns how many steps were cleared. */
  clear(learnerId: string): number;
  close(): void;
}

/**
 * Opens (creating if needed) the database at `path` and brings its schema up to date. Throws
 * ProgressStoreError naming the file when it cannot be created, read, written or is not ours.
 */
export function openProgressStore(path: string): ProgressStore {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ProgressStoreError(
      `cannot create the folder of the progress database ${path}: ${(error as Error).message}`,
      path,
      'Make that folder writable, or set SANDBOX_DATA_DIR to a writable folder.',
      { cause: error },
    );
  }
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path);
    db.exec('PRAGMA busy_timeout = 2000');
    migrate(db, path);
    // Prove it is writable now rather than at the first passed step.
    db.exec('BEGIN IMMEDIATE; ROLLBACK;');
  } catch (error) {
    db?.close();
    if (error instanceof ProgressStoreError) throw error;
    const message = (error as Error).message;
    const corrupt = /not a database|malformed|corrupt/i.test(message);
    throw new ProgressStoreError(
      `cannot use the progress database ${path}: ${message}`,
      path,
      corrupt
        ? `The file is damaged or not a Rollout Lab database: move it away (learners' progress in it is lost) or set SANDBOX_DATA_DIR to another folder.`
        : 'Check that the file and its folder are writable by this user, or set SANDBOX_DATA_DIR to a writable folder.',
      { cause: error },
    );
  }
  const database = db;
  const insert = database.prepare(
    'INSERT INTO passed_steps (learner_id, step_id, passed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const select = database.prepare('SELECT step_id, passed_at FROM passed_steps WHERE learner_id = ?');
  const remove = database.prepare('DELETE FROM passed_steps WHERE learner_id = ?');
  return {
    path,
    recordPassed(learnerId, stepIds, passedAt) {
      if (stepIds.length === 0) return [];
      return inTransaction(database, () =>
        stepIds.filter((stepId) => Number(insert.run(learnerId, stepId, passedAt).changes) > 0),
      );
    },
    passedSteps(learnerId) {
      const rows = select.all(learnerId) as { step_id: string; passed_at: number }[];
      return new Map(rows.map((row) => [row.step_id, Number(row.passed_at)]));
    },
    clear(learnerId) {
      return Number(remove.run(learnerId).changes);
    },
    close() {
      if (database.isOpen) database.close();
    },
  };
}

function migrate(db: DatabaseSync, path: string): void {
  const version = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  if (version > MIGRATIONS.length)
    throw new ProgressStoreError(
      `the progress database ${path} has schema version ${version}; this server knows up to ${MIGRATIONS.length}`,
      path,
      'It was written by a newer Rollout Lab: run that version, or set SANDBOX_DATA_DIR to another folder.',
    );
  if (version === MIGRATIONS.length) return;
  inTransaction(db, () => {
    for (let next = version; next < MIGRATIONS.length; next++) db.exec(MIGRATIONS[next]!);
    // PRAGMA takes no parameters; the value is our own integer.
    db.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
  });
}

function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
