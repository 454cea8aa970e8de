import { describe, expect, it } from 'vitest';
import {
  ApiErrorBody,
  CreatedSession,
  CreateSessionRequest,
  decodeClientMessage,
  MAX_INPUT_LENGTH,
  ResetSessionRequest,
  ServerMessage,
} from '../../../src/protocol/index.ts';

describe('terminal client messages', () => {
  const accepted: [string, unknown, unknown][] = [
    ['input', { type: 'input', data: 'kubectl get rs\r' }, { type: 'input', data: 'kubectl get rs\r' }],
    ['empty input', { type: 'input', data: '' }, { type: 'input', data: '' }],
    ['Ctrl-C', { type: 'input', data: '\u0003' }, { type: 'input', data: '\u0003' }],
    ['Hangul', { type: 'input', data: '레플리카셋' }, { type: 'input', data: '레플리카셋' }],
    ['largest input', { type: 'input', data: 'x'.repeat(MAX_INPUT_LENGTH) }, undefined],
    ['resize', { type: 'resize', cols: 120, rows: 30 }, { type: 'resize', cols: 120, rows: 30 }],
    [
      'resize at the bounds',
      { type: 'resize', cols: 1000, rows: 1 },
      { type: 'resize', cols: 1000, rows: 1 },
    ],
    ['unknown extra field dropped', { type: 'input', data: 'a', extra: 1 }, { type: 'input', data: 'a' }],
  ];
  it.each(accepted)('accepts %s', (_name, value, expected) => {
    const decoded = decodeClientMessage(JSON.stringify(value));
    expect(decoded.ok).toBe(true);
    if (decoded.ok && expected !== undefined) expect(decoded.message).toEqual(expected);
  });

  const refused: [string, string, RegExp][] = [
    ['not JSON', 'kubectl get rs', /not JSON/],
    ['truncated JSON', '{"type":"input","data":"a"', /not JSON/],
    ['a JSON string', '"input"', /body/],
    ['null', 'null', /body/],
    ['an array', '[{"type":"input","data":"a"}]', /body/],
    ['no type', '{"data":"a"}', /type/],
    ['unknown type', '{"type":"exec","data":"id"}', /type/],
    ['input without data', '{"type":"input"}', /data/],
    ['input data as number', '{"type":"input","data":42}', /data/],
    ['input data as array', '{"type":"input","data":["a"]}', /data/],
    ['input too long', JSON.stringify({ type: 'input', data: 'x'.repeat(MAX_INPUT_LENGTH + 1) }), /data/],
    ['resize with zero columns', '{"type":"resize","cols":0,"rows":24}', /cols/],
    ['resize with fractional rows', '{"type":"resize","cols":80,"rows":24.5}', /rows/],
    ['resize with huge columns', '{"type":"resize","cols":100000,"rows":24}', /cols/],
    ['resize with string sizes', '{"type":"resize","cols":"80","rows":"24"}', /cols/],
    ['resize with negative rows', '{"type":"resize","cols":80,"rows":-1}', /rows/],
    ['resize without rows', '{"type":"resize","cols":80}', /rows/],
    ['type in another case', '{"type":"INPUT","data":"a"}', /type/],
    ['prototype pollution attempt', '{"__proto__":{"type":"input"},"data":"a"}', /type/],
  ];
  it.each(refused)('refuses %s with an error message that says where', (_name, text, where) => {
    const decoded = decodeClientMessage(text);
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.error.type).toBe('error');
    expect(decoded.error.code).toBe('invalid-message');
    expect(decoded.error.message).toMatch(where);
    expect(decoded.error.hint).toContain('"type":"input"');
    // The refusal is itself a valid server message.
    expect(ServerMessage.safeParse(decoded.error).success).toBe(true);
  });
});

describe('terminal server messages', () => {
  const valid: [string, unknown][] = [
    ['output', { type: 'output', data: '\x1b[1;32mch09\x1b[0m $ ' }],
    [
      'attached',
      {
        type: 'status',
        state: 'attached',
        session: { id: 'a1', namespace: 'rl-a1' },
        replayed: 120,
        truncated: false,
      },
    ],
    ['taken over', { type: 'status', state: 'taken-over' }],
    ['reset', { type: 'status', state: 'reset' }],
    ['ended', { type: 'status', state: 'ended', reason: 'expired' }],
    ['error', { type: 'error', code: 'internal', message: 'x', hint: 'y' }],
  ];
  it.each(valid)('%s matches the schema', (_name, value) => {
    expect(ServerMessage.safeParse(value).success).toBe(true);
  });

  const invalid: [string, unknown][] = [
    ['output without data', { type: 'output' }],
    ['unknown status', { type: 'status', state: 'sleeping' }],
    ['ended without reason', { type: 'status', state: 'ended' }],
    [
      'attached with negative replay',
      {
        type: 'status',
        state: 'attached',
        session: { id: 'a', namespace: 'n' },
        replayed: -1,
        truncated: false,
      },
    ],
    ['error with unknown code', { type: 'error', code: 'oops', message: 'x', hint: 'y' }],
  ];
  it.each(invalid)('%s does not match', (_name, value) => {
    expect(ServerMessage.safeParse(value).success).toBe(false);
  });
});

describe('API bodies', () => {
  const createCases: [string, unknown, boolean][] = [
    ['empty object', {}, true],
    ['Korean locale', { locale: 'ko' }, true],
    ['English locale', { locale: 'en' }, true],
    ['unknown locale', { locale: 'fr' }, false],
    ['unknown field (strict)', { namespace: 'kube-system' }, false],
    ['not an object', 'ko', false],
    ['null', null, false],
  ];
  it.each(createCases)('create session body: %s', (_name, value, ok) => {
    expect(CreateSessionRequest.safeParse(value).success).toBe(ok);
  });

  it('reset takes no fields', () => {
    expect(ResetSessionRequest.safeParse({}).success).toBe(true);
    expect(ResetSessionRequest.safeParse({ keepFiles: true }).success).toBe(false);
  });

  it('describes a created session and an error', () => {
    const created = {
      id: 'abc',
      namespace: 'rl-abc',
      backend: 'embedded',
      createdAt: '2026-01-01T00:00:00.000Z',
      lastSeenAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2026-01-01T01:00:00.000Z',
      links: {
        self: '/api/sessions/abc',
        terminal: '/api/sessions/abc/terminal',
        kubeconfig: '/api/sessions/abc/kubeconfig',
      },
      token: 'abc.secret',
    };
    expect(CreatedSession.safeParse(created).success).toBe(true);
    const { token: _token, ...withoutToken } = created;
    expect(CreatedSession.safeParse(withoutToken).success).toBe(false);
    expect(
      ApiErrorBody.safeParse({ error: { code: 'session-limit', message: 'full', hint: 'wait' } }).success,
    ).toBe(true);
    expect(ApiErrorBody.safeParse({ error: { code: 'teapot', message: 'x', hint: 'y' } }).success).toBe(
      false,
    );
  });
});
