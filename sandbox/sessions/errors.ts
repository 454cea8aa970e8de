/**
 * Typed session errors, each with the message the HTTP API answers with.
 */

/** The server already holds its maximum number of sessions (HTTP 503). */
export class SessionLimitError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(
      `The sandbox is full: it already runs ${limit} learner sessions. Please try again in a few minutes, when idle sessions have expired.`,
    );
    this.name = 'SessionLimitError';
    this.limit = limit;
  }
}

/** No session has this id (expired, deleted, or never existed) (HTTP 404). */
export class SessionNotFoundError extends Error {
  readonly id: string;
  constructor(id: string) {
    super(`There is no session ${id}: it may have expired after a while without activity. Start a new one.`);
    this.name = 'SessionNotFoundError';
    this.id = id;
  }
}

/** The manager was shut down and takes no new sessions (HTTP 503). */
export class SessionManagerClosedError extends Error {
  constructor() {
    super('The sandbox is shutting down and takes no new sessions.');
    this.name = 'SessionManagerClosedError';
  }
}
