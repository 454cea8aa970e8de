/**
 * Bearer tokens: who a request comes from. The admin token is made at start; ServiceAccount
 * tokens are issued through the TokenRequest subresource (`kubectl create token`, the sandbox's
 * session provisioning) and expire.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { UserInfo } from '../cluster-api.ts';

interface IssuedToken {
  user: UserInfo;
  expiresAt: number;
  /** The ServiceAccount's uid, so deleting and re-creating the account voids old tokens. */
  boundUid?: string;
}

/** Issues and resolves bearer tokens. */
export class TokenAuthenticator {
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Registers a fixed token (the admin's) that never expires. */
  addStatic(token: string, user: UserInfo): void {
    this.#tokens.set(token, { user, expiresAt: Number.POSITIVE_INFINITY });
  }

  /** Issues a token for a ServiceAccount, valid for `seconds` of simulated time. */
  issueServiceAccountToken(
    namespace: string,
    name: string,
    uid: string,
    seconds: number,
  ): { token: string; expiresAt: number } {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = this.#clock.now() + seconds * 1000;
    this.#tokens.set(token, {
      user: {
        username: `system:serviceaccount:${namespace}:${name}`,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
      },
      expiresAt,
      boundUid: uid,
    });
    return { token, expiresAt };
  }

  /** The user behind an Authorization header, or undefined when absent, unknown or expired. */
  authenticate(
    header: string | undefined,
    isServiceAccountCurrent: (user: UserInfo, uid: string) => boolean,
  ): UserInfo | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) return undefined;
    const issued = this.#tokens.get(match[1]!);
    if (!issued) return undefined;
    if (issued.expiresAt <= this.#clock.now()) {
      this.#tokens.delete(match[1]!);
      return undefined;
    }
    if (issued.boundUid && !isServiceAccountCurrent(issued.user, issued.boundUid)) return undefined;
    return issued.user;
  }

  /** Forgets every token of a namespace's ServiceAccounts (the namespace was deleted). */
  revokeNamespace(namespace: string): void {
    const prefix = `system:serviceaccount:${namespace}:`;
    for (const [token, issued] of this.#tokens)
      if (issued.user.username.startsWith(prefix)) this.#tokens.delete(token);
  }
}
