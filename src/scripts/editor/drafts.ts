/**
 * Unsaved editor text kept in sessionStorage, so a reload, a crash or a closed tab does not lose
 * it silently: when the file is opened again the learner is offered the draft back. Keyed by
 * session and path; the version the draft was based on is kept too, so a restored draft still
 * saves with the right `If-Match` (and meets a conflict if the file changed on disk since).
 */

/** A draft of one file. */
export interface Draft {
  content: string;
  /** The file version the draft was edited from. */
  version: string;
}

const PREFIX = 'rollout-lab:draft:';

function keyOf(sessionId: string, path: string): string {
  return `${PREFIX}${sessionId}:${path}`;
}

/** Keeps a draft; storage that is full or disabled keeps nothing (the editor still asks before unload). */
export function keepDraft(storage: Storage | undefined, sessionId: string, path: string, draft: Draft): void {
  try {
    storage?.setItem(keyOf(sessionId, path), JSON.stringify(draft));
  } catch {
    // Quota or privacy mode: the beforeunload prompt still guards the text.
  }
}

/** The draft of a file, if one is kept and readable. */
export function readDraft(storage: Storage | undefined, sessionId: string, path: string): Draft | undefined {
  try {
    const value = JSON.parse(storage?.getItem(keyOf(sessionId, path)) ?? 'null') as Partial<Draft> | null;
    if (value && typeof value.content === 'string' && typeof value.version === 'string')
      return { content: value.content, version: value.version };
  } catch {
    // A broken entry is no draft.
  }
  return undefined;
}

/** Forgets a file's draft (after a save, or when the learner discards it). */
export function dropDraft(storage: Storage | undefined, sessionId: string, path: string): void {
  try {
    storage?.removeItem(keyOf(sessionId, path));
  } catch {
    // Nothing to do.
  }
}

/** Paths of the session's kept drafts, sorted. */
export function listDrafts(storage: Storage | undefined, sessionId: string): string[] {
  const prefix = `${PREFIX}${sessionId}:`;
  const paths: string[] = [];
  try {
    for (let i = 0; i < (storage?.length ?? 0); i++) {
      const key = storage?.key(i);
      if (key?.startsWith(prefix)) paths.push(key.slice(prefix.length));
    }
  } catch {
    return [];
  }
  return paths.sort();
}
