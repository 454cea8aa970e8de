/**
 * How a request proves it belongs to a session: the token `<id>.<secret>`, carried by the
 * HttpOnly cookie `rl_session` (browsers), `Authorization: Bearer <token>` (scripts, the
 * learner's own tools) or `?token=<token>` on the terminal socket (clients that cannot set
 * headers on a WebSocket). Pure functions: parsing and formatting only; the session manager
 * compares secrets.
 */

/** Name of the session cookie. */
export const SESSION_COOKIE = 'rl_session';

/** A session id and the secret that proves the holder may use it. */
export interface SessionCredentials {
  id: string;
  secret: string;
}

// Ids and secrets are random URL-safe text; anything else is not a token we issued.
const TOKEN_PART = /^[A-Za-z0-9_-]{1,128}$/;

/** `<id>.<secret>`, the token handed to clients. */
export function formatSessionToken(id: string, secret: string): string {
  return `${id}.${secret}`;
}

/** Reads `<id>.<secret>`; undefined for anything else (no dot, empty parts, odd characters). */
export function parseSessionToken(token: string): SessionCredentials | undefined {
  const dot = token.indexOf('.');
  if (dot < 0) return undefined;
  const id = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  if (!TOKEN_PART.test(id) || !TOKEN_PART.test(secret)) return undefined;
  return { id, secret };
}

/**
 * Every value of cookie `name` in a `Cookie` header, in order. A browser may send the same name
 * twice (cookies set for different paths), so all are returned.
 */
export function readCookies(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    values.push(value);
  }
  return values;
}

/** The token of an `Authorization: Bearer <token>` header, if that is what it is. */
export function readBearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Where the credentials of one request can be. */
export interface CredentialSources {
  authorization?: string | undefined;
  cookie?: string | undefined;
  /** `?token=` of the URL (only the terminal socket reads it). */
  queryToken?: string | null | undefined;
}

/**
 * Every well-formed token a request carries, most explicit first: bearer, then `?token=`, then
 * cookies. A request may carry several (a browser cookie for one session and a bearer token for
 * another); a route accepts the request if any of them opens the session it names.
 */
export function collectCredentials(sources: CredentialSources): SessionCredentials[] {
  const tokens = [
    readBearerToken(sources.authorization),
    sources.queryToken ?? undefined,
    ...readCookies(sources.cookie, SESSION_COOKIE),
  ];
  const out: SessionCredentials[] = [];
  for (const token of tokens) {
    if (token === undefined) continue;
    const parsed = parseSessionToken(token);
    if (parsed) out.push(parsed);
  }
  return out;
}

/** True when the request carries anything that looks like session credentials, well-formed or not. */
export function hasAnyCredentials(sources: CredentialSources): boolean {
  return (
    readBearerToken(sources.authorization) !== undefined ||
    Boolean(sources.queryToken) ||
    readCookies(sources.cookie, SESSION_COOKIE).length > 0
  );
}

/** How the session cookie is written. */
export interface CookieOptions {
  /** Lifetime in seconds; the browser forgets the cookie after it (the server's idle timeout). */
  maxAgeSeconds: number;
  /** Add `Secure` (when the site is served over HTTPS, e.g. behind a TLS proxy). */
  secure: boolean;
}

/**
 * `Set-Cookie` for a session: HttpOnly so page scripts (and anything injected into them) cannot
 * read the secret, SameSite=Strict so other sites cannot make the browser send it (no cross-site
 * request forgery on the API, no cross-site WebSocket hijacking of the terminal).
 */
export function formatSessionCookie(token: string, options: CookieOptions): string {
  const parts = [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** `Set-Cookie` that makes the browser drop the session cookie. */
export function formatClearedSessionCookie(options: Pick<CookieOptions, 'secure'>): string {
  return formatSessionCookie('', { maxAgeSeconds: 0, secure: options.secure });
}
