import { describe, expect, it } from 'vitest';
import {
  collectCredentials,
  formatClearedSessionCookie,
  formatSessionCookie,
  formatSessionToken,
  hasAnyCredentials,
  parseSessionToken,
  readBearerToken,
  readCookies,
} from '../../../sandbox/server/credentials.ts';

describe('session tokens', () => {
  const cases: [string, { id: string; secret: string } | undefined][] = [
    ['a1b2.s3cr3t', { id: 'a1b2', secret: 's3cr3t' }],
    ['abc_-.XyZ_-09', { id: 'abc_-', secret: 'XyZ_-09' }],
    // The secret is everything after the first dot; a second dot makes it malformed.
    ['a.b.c', undefined],
    ['nodot', undefined],
    ['.secret', undefined],
    ['id.', undefined],
    ['', undefined],
    ['id.sec ret', undefined],
    ['id.sec%20ret', undefined],
    ['../etc.passwd', undefined],
    [`id.${'s'.repeat(129)}`, undefined],
    ['아이디.secret', undefined],
  ];
  it.each(cases)('parses %j', (token, expected) => {
    expect(parseSessionToken(token)).toEqual(expected);
  });

  it('formats what it parses', () => {
    expect(parseSessionToken(formatSessionToken('id1', 'sec'))).toEqual({ id: 'id1', secret: 'sec' });
  });
});

describe('cookies and bearer tokens', () => {
  const cookieCases: [string | undefined, string[]][] = [
    [undefined, []],
    ['', []],
    ['rl_session=a.b', ['a.b']],
    ['theme=dark; rl_session=a.b; lang=ko', ['a.b']],
    ['rl_session="a.b"', ['a.b']],
    ['rl_session=a.b; rl_session=c.d', ['a.b', 'c.d']],
    ['xrl_session=a.b; rl_sessionx=c.d', []],
    ['rl_session', []],
    ['  rl_session =  a.b  ', ['a.b']],
  ];
  it.each(cookieCases)('reads rl_session from %j', (header, expected) => {
    expect(readCookies(header, 'rl_session')).toEqual(expected);
  });

  const bearerCases: [string | undefined, string | undefined][] = [
    ['Bearer a.b', 'a.b'],
    ['bearer a.b', 'a.b'],
    ['Bearer   a.b  ', 'a.b'],
    ['Basic YTpi', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    [undefined, undefined],
  ];
  it.each(bearerCases)('reads a bearer token from %j', (header, expected) => {
    expect(readBearerToken(header)).toBe(expected);
  });

  it('collects every well-formed token, bearer first, then ?token=, then cookies', () => {
    expect(
      collectCredentials({
        authorization: 'Bearer b1.s1',
        queryToken: 'q1.s2',
        cookie: 'rl_session=c1.s3; rl_session=broken',
      }),
    ).toEqual([
      { id: 'b1', secret: 's1' },
      { id: 'q1', secret: 's2' },
      { id: 'c1', secret: 's3' },
    ]);
  });

  it('tells a request with malformed credentials from one with none', () => {
    expect(hasAnyCredentials({})).toBe(false);
    expect(hasAnyCredentials({ cookie: 'theme=dark' })).toBe(false);
    expect(hasAnyCredentials({ cookie: 'rl_session=garbage' })).toBe(true);
    expect(collectCredentials({ cookie: 'rl_session=garbage' })).toEqual([]);
    expect(hasAnyCredentials({ queryToken: 'x' })).toBe(true);
    expect(hasAnyCredentials({ queryToken: null })).toBe(false);
  });
});

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Strict, for the whole site, with the idle lifetime', () => {
    const cookie = formatSessionCookie('id.secret', { maxAgeSeconds: 3600, secure: false });
    expect(cookie.split('; ')).toEqual([
      'rl_session=id.secret',
      'Path=/',
      'HttpOnly',
      'SameSite=Strict',
      'Max-Age=3600',
    ]);
  });

  it('adds Secure behind HTTPS', () => {
    expect(formatSessionCookie('id.secret', { maxAgeSeconds: 60, secure: true })).toMatch(/; Secure$/);
  });

  it('is cleared with Max-Age=0', () => {
    expect(formatClearedSessionCookie({ secure: false })).toBe(
      'rl_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0',
    );
  });
});
