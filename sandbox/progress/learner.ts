/**
 * Who a browser is, for progress: a long-lived random id in the `rl_learner` cookie. It is not a
 * login and proves nothing beyond "the same browser as before"; it only keys the progress store.
 * HttpOnly (page scripts never need it), SameSite=Lax (sent when the learner follows a link back
 * to the course, unlike the session cookie), one year.
 */
import { randomBytes } from 'node:crypto';
import { readCookies } from '../server/credentials.ts';

/** Name of the learner cookie. */
export const LEARNER_COOKIE = 'rl_learner';

/** How long the browser keeps the cookie: a year. */
export const LEARNER_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

// 16 random bytes as base64url: exactly what newLearnerId makes; anything else is not ours.
const LEARNER_ID = /^[A-Za-z0-9_-]{22}$/;

/** A fresh learner id: 128 random bits, URL- and cookie-safe. */
export function newLearnerId(random: (size: number) => Buffer = randomBytes): string {
  return random(16).toString('base64url');
}

/** True for an id newLearnerId could have made. */
export function isLearnerId(value: string): boolean {
  return LEARNER_ID.test(value);
}

/** The learner id of a `Cookie` header: the first well-formed `rl_learner` value, if any. */
export function readLearnerId(cookieHeader: string | undefined): string | undefined {
  return readCookies(cookieHeader, LEARNER_COOKIE).find(isLearnerId);
}

/** `Set-Cookie` for a learner id. */
export function formatLearnerCookie(learnerId: string, options: { secure: boolean }): string {
  const parts = [
    `${LEARNER_COOKIE}=${learnerId}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${LEARNER_COOKIE_MAX_AGE_SECONDS}`,
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
