/**
 * Learner sessions on any backend's cluster.
 */
export { SessionLimitError, SessionManagerClosedError, SessionNotFoundError } from './errors.ts';
export {
  DEFAULT_QUOTA,
  LEARNER_NAME,
  LEARNER_RULES,
  type PolicyRule,
  QUOTA_NAME,
  SESSION_LABEL,
} from './learner-access.ts';
export { type Session, SessionManager, type SessionManagerOptions, secretsMatch } from './session-manager.ts';
