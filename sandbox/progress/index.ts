/**
 * Learner progress for the server: who the browser is (`learner.ts`), which session belongs to
 * which learner, and what they have passed (`store.ts`, SQLite). The server records a pass
 * wherever it judges steps (the events stream and `GET /api/sessions/:id/checks`), so the page
 * never claims progress itself.
 */
import type { ProgressResponse, StepChecksResponse } from '../../src/protocol/index.ts';
import { formatLearnerCookie, isLearnerId, newLearnerId, readLearnerId } from './learner.ts';
import type { ProgressStore } from './store.ts';

export {
  formatLearnerCookie,
  isLearnerId,
  LEARNER_COOKIE,
  LEARNER_COOKIE_MAX_AGE_SECONDS,
  newLearnerId,
  readLearnerId,
} from './learner.ts';
export {
  openProgressStore,
  PROGRESS_DB_FILE,
  PROGRESS_SCHEMA_VERSION,
  type ProgressStore,
  ProgressStoreError,
} from './store.ts';

/** A request's learner: its id, and the cookie to set when the request carried none. */
export interface LearnerIdentity {
  learnerId: string;
  /** `Set-Cookie` value for a new learner; undefined when the browser already has one. */
  setCookie: string | undefined;
}

/** How the progress service behaves. */
export interface ProgressServiceOptions {
  store: ProgressStore;
  /** Milliseconds since the epoch, for `passedAt`. */
  now?: () => number;
  /** Mark the learner cookie `Secure` (the site is served over HTTPS). */
  secureCookies?: boolean;
  /** Where a failed write goes: progress is never worth failing a request for. */
  log?: (message: string, error?: unknown) => void;
  /** Makes learner ids (random by default). */
  newId?: () => string;
}

/** The server's view of progress. */
export interface ProgressService {
  /** The learner of a request's `Cookie` header, minting one (with its cookie) when absent. */
  identify(cookieHeader: string | undefined): LearnerIdentity;
  /** Remembers that `sessionId` was opened by `learnerId`. */
  bindSession(sessionId: string, learnerId: string): void;
  /** The learner a session belongs to, if known. */
  learnerOf(sessionId: string): string | undefined;
  /**
   * The learner to credit for a session's passes. A browser that sent its own learner cookie is
   * that learner (and the session follows it: two first requests in parallel may each have minted
   * an id, and the browser keeps only one); a request without one (a script with a bearer token)
   * credits whoever created the session.
   */
  learnerForSession(sessionId: string, identity: LearnerIdentity): string;
  /** Forgets a session (deleted or expired); the learner's progress stays. */
  forgetSession(sessionId: string): void;
  /** Records every `passed` step of a verdict for the learner; returns the ids that were new. */
  recordVerdicts(learnerId: string | undefined, verdicts: StepChecksResponse): string[];
  /** The learner's passed steps. */
  read(learnerId: string): ProgressResponse;
  /** Forgets the learner's progress; returns how many steps were cleared. */
  clear(learnerId: string): number;
  close(): void;
}

/** A progress service over a store. */
export function createProgressService(options: ProgressServiceOptions): ProgressService {
  const { store } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const newId = options.newId ?? (() => newLearnerId());
  const sessions = new Map<string, string>();
  return {
    identify(cookieHeader) {
      const known = readLearnerId(cookieHeader);
      if (known) return { learnerId: known, setCookie: undefined };
      const learnerId = newId();
      return {
        learnerId,
        setCookie: formatLearnerCookie(learnerId, { secure: options.secureCookies ?? false }),
      };
    },
    bindSession(sessionId, learnerId) {
      if (isLearnerId(learnerId)) sessions.set(sessionId, learnerId);
    },
    learnerOf(sessionId) {
      return sessions.get(sessionId);
    },
    learnerForSession(sessionId, identity) {
      if (identity.setCookie !== undefined) return sessions.get(sessionId) ?? identity.learnerId;
      sessions.set(sessionId, identity.learnerId);
      return identity.learnerId;
    },
    forgetSession(sessionId) {
      sessions.delete(sessionId);
    },
    recordVerdicts(learnerId, verdicts) {
      if (!learnerId || !isLearnerId(learnerId)) return [];
      const passed = Object.entries(verdicts.steps)
        .filter(([, verdict]) => verdict.status === 'passed')
        .map(([id]) => id);
      try {
        return store.recordPassed(learnerId, passed, now());
      } catch (error) {
        log(`recording progress in ${store.path} failed`, error);
        return [];
      }
    },
    read(learnerId) {
      const steps: ProgressResponse['steps'] = {};
      for (const [stepId, passedAt] of store.passedSteps(learnerId))
        steps[stepId] = { passedAt: new Date(passedAt).toISOString() };
      return { steps };
    },
    clear(learnerId) {
      return store.clear(learnerId);
    },
    close() {
      store.close();
    },
  };
}
