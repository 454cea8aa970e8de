import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatWriteOut, parseCurlArguments, parseCurlTarget } from '../../../sandbox/shell/commands/curl.ts';
import {
  createGrep,
  createHead,
  createSort,
  createTail,
  createUniq,
  createWc,
} from '../../../sandbox/shell/commands/filters.ts';
import { findNestedRepetition } from '../../../sandbox/shell/commands/grep-pattern.ts';
import type { FilterFactory } from '../../../sandbox/shell/commands/types.ts';
import { parseWatchArguments } from '../../../sandbox/shell/commands/watch.ts';
import { HttpProxyError } from '../../../sandbox/shell/errors.ts';
import { createShellHarness, type ShellHarness } from './harness.ts';

/** Runs a filter over `input` fed in small chunks, as a pipe would deliver it. */
function filterText(
  create: FilterFactory,
  args: string[],
  input: string,
  toTerminal = false,
): { out: string; err: string; status: number } {
  let out = '';
  let err = '';
  const setup = create(args, (t) => (out += t), { toTerminal, err: (t) => (err += t) });
  if (typeof setup === 'string') return { out, err: setup, status: 2 };
  for (let i = 0; i < input.length; i += 7) setup.filter.write(input.slice(i, i + 7));
  const status = setup.filter.end();
  return { out, err, status };
}

const RS = `NAME              DESIRED   CURRENT   READY   AGE
vweb-6bd7464487   0         0         0       6m48s
vweb-7c675fdd96   3         3         3       6s
todo-web-5d8f7    1         1         1       2m
`;

describe('grep', () => {
  it.each<[string[], string, string, number]>([
    [
      ['vweb'],
      RS,
      'vweb-6bd7464487   0         0         0       6m48s\nvweb-7c675fdd96   3         3         3       6s\n',
      0,
    ],
    [
      ['-v', 'vweb'],
      RS,
      'NAME              DESIRED   CURRENT   READY   AGE\ntodo-web-5d8f7    1         1         1       2m\n',
      0,
    ],
    [['-c', 'vweb'], RS, '2\n', 0],
    [['-ic', 'VWEB'], RS, '2\n', 0],
    [['-E', 'v[0-9]+\\.?[0-9]*$'], 'v1\nv1.1\nv2x\n', 'v1\nv1.1\n', 0],
    // Basic syntax: + and | are literal unless escaped.
    [['v1+'], 'v1\nv1+\n', 'v1+\n', 0],
    [['v1\\|v2'], 'v1\nv2\nv3\n', 'v1\nv2\n', 0],
    [['-E', 'v1|v2'], 'v1\nv2\nv3\n', 'v1\nv2\n', 0],
    [['-F', 'a.b'], 'a.b\naxb\n', 'a.b\n', 0],
    [['-w', 'v1'], 'v1\nv11\nx v1 y\n', 'v1\nx v1 y\n', 0],
    [['-n', 'b'], 'a\nb\nc\nb\n', '2:b\n4:b\n', 0],
    [['[[:digit:]]s$'], 'a 9s\nb 2m\n', 'a 9s\n', 0],
    [['Running'], 'no newline at the end Running', 'no newline at the end Running\n', 0],
    [['nothing'], RS, '', 1],
    [['-e', '-l'], 'kubectl get -l x\nno\n', 'kubectl get -l x\n', 0],
  ])('grep %j', (args, input, out, status) => {
    expect(filterText(createGrep, args, input)).toEqual({ out, err: '', status });
  });

  it('colours matches only on the terminal', () => {
    expect(filterText(createGrep, ['v2'], 'a v2 b\n', true).out).toBe(
      'a \x1b[01;31m\x1b[Kv2\x1b[m\x1b[K b\n',
    );
    expect(filterText(createGrep, ['v2'], 'a v2 b\n', false).out).toBe('a v2 b\n');
  });

  it.each([
    [['-E', '(a+)+$'], /repeated group inside another repetition/],
    [['-E', '(x*)*y'], /repeated group inside another repetition/],
    [['\\(a*\\)*'], /repeated group inside another repetition/],
    [['-E', '(a|aa)+b'], /repeated group of alternatives/],
    [['\\(a\\)\\1'], /back-references/],
    [['-E', 'a'.repeat(300)], /longer than 256/],
    [['-E', '(unclosed'], /invalid pattern/],
    [['[abc'], /unmatched \[/],
    [['-z', 'x'], /invalid option -- 'z'/],
    [[], /Usage: grep/],
  ])('refuses %j', (args, message) => {
    expect(filterText(createGrep, args as string[], 'x\n').err).toMatch(message);
  });

  it.each([
    ['(v1|v2)', false],
    ['(ab)+', false],
    ['a+b*c?', false],
    ['(a+)+', true],
    ['((a)+)*', true],
    ['[(+)]+', false],
    ['\\(a+\\)+', false],
  ])('nested repetition in %s: %s', (source, dangerous) => {
    expect(findNestedRepetition(source) !== undefined).toBe(dangerous);
  });

  // Speed is measured in bench/, never asserted here: this checks the long line is handled at all.
  it('handles a long line made to trip backtracking once the guard lets a pattern through', () => {
    const result = filterText(createGrep, ['-E', 'a+b'], `${'a'.repeat(50_000)}\n`);
    expect(result.out).toBe('');
    expect(result.status).toBe(1);
  });
});

describe('head, tail, wc, sort, uniq', () => {
  const NUMBERS = '10\n9\n100\n1\nb\na\na\n';
  it.each<[string, FilterFactory, string[], string, string]>([
    ['head -n 2', createHead, ['-n', '2'], NUMBERS, '10\n9\n'],
    ['head -2', createHead, ['-2'], NUMBERS, '10\n9\n'],
    ['head --lines=1', createHead, ['--lines=1'], NUMBERS, '10\n'],
    ['head (10 by default)', createHead, [], 'a\n'.repeat(12), 'a\n'.repeat(10)],
    ['tail -n 2', createTail, ['-n', '2'], NUMBERS, 'a\na\n'],
    ['tail -n +6', createTail, ['-n', '+6'], NUMBERS, 'a\na\n'],
    ['tail -n 0', createTail, ['-n', '0'], NUMBERS, ''],
    ['wc -l', createWc, ['-l'], NUMBERS, '7\n'],
    ['wc', createWc, [], 'one two\nthree\n', '      2       3      14\n'],
    ['wc -c counts UTF-8 bytes', createWc, ['-c'], '한글\n', '7\n'],
    ['sort', createSort, [], NUMBERS, '1\n10\n100\n9\na\na\nb\n'],
    ['sort -n', createSort, ['-n'], NUMBERS, 'a\na\nb\n1\n9\n10\n100\n'],
    ['sort -rn', createSort, ['-rn'], NUMBERS, '100\n10\n9\n1\nb\na\na\n'],
    ['sort -u', createSort, ['-u'], NUMBERS, '1\n10\n100\n9\na\nb\n'],
    ['uniq', createUniq, [], 'a\na\nb\na\n', 'a\nb\na\n'],
    ['uniq -c', createUniq, ['-c'], 'v1\nv1\nv2\n', '      2 v1\n      1 v2\n'],
    ['uniq -d', createUniq, ['-d'], 'v1\nv1\nv2\n', 'v1\n'],
  ])('%s', (_name, create, args, input, out) => {
    expect(filterText(create, args, input)).toEqual({ out, err: '', status: 0 });
  });

  it('head says when it has had enough, so the writer can stop', () => {
    const setup = createHead(['-n', '2'], () => {}, { toTerminal: false, err: () => {} });
    if (typeof setup === 'string') throw new Error(setup);
    setup.filter.write('a\n');
    expect(setup.filter.satisfied).toBe(false);
    setup.filter.write('b\nc\n');
    expect(setup.filter.satisfied).toBe(true);
  });

  it.each([
    [createHead, ['-n', 'x'], /invalid number of lines: 'x'/],
    [createTail, ['-n'], /requires an argument/],
    [createSort, ['-k', '2'], /invalid option -- 'k'/],
    [createWc, ['--bogus'], /unrecognized option '--bogus'/],
  ])('usage errors: %#', (create, args, message) => {
    expect(filterText(create as FilterFactory, args as string[], '').err).toMatch(message);
  });
});

describe('curl', () => {
  it.each([
    [
      'http://vweb:8090/v.txt',
      { kind: 'service', namespace: 'learner-1', name: 'vweb', port: 8090, path: '/v.txt' },
    ],
    [
      'vweb:8090/v.txt',
      { kind: 'service', namespace: 'learner-1', name: 'vweb', port: 8090, path: '/v.txt' },
    ],
    ['vweb', { kind: 'service', namespace: 'learner-1', name: 'vweb', port: 80, path: '/' }],
    [
      'http://vweb.learner-1:8090/v.txt?x=1',
      { kind: 'service', namespace: 'learner-1', name: 'vweb', port: 8090, path: '/v.txt?x=1' },
    ],
    [
      'vweb.learner-1.svc.cluster.local:8090',
      { kind: 'service', namespace: 'learner-1', name: 'vweb', port: 8090, path: '/' },
    ],
    [
      'VWEB.LEARNER-1.SVC:8090',
      { kind: 'service', namespace: 'learner-1', name: 'vweb', port: 8090, path: '/' },
    ],
    [
      'http://localhost:8090/v.txt',
      { kind: 'load-balancer', namespace: 'learner-1', port: 8090, path: '/v.txt' },
    ],
    ['127.0.0.1:8090', { kind: 'load-balancer', namespace: 'learner-1', port: 8090, path: '/' }],
    ['http://[::1]:8090/', { kind: 'load-balancer', namespace: 'learner-1', port: 8090, path: '/' }],
    ['localhost', { kind: 'load-balancer', namespace: 'learner-1', port: 80, path: '/' }],
    [
      'http://vweb:8090/../../api/v1/secrets',
      { kind: 'service', namespace: 'learner-1', name: 'vweb', port: 8090, path: '/api/v1/secrets' },
    ],
    ['http://vweb.other:8090/', { curlCode: 6 }],
    ['http://vweb.learner-1.svc.evil.com/', { curlCode: 6 }],
    ['http://10.0.0.1/', { curlCode: 6 }],
    ['http://169.254.169.254/', { curlCode: 6 }],
    ['https://vweb/', { curlCode: 1 }],
    ['gopher://vweb/', { curlCode: 1 }],
    ['http://u:p@vweb/', { curlCode: 3 }],
    ['http://vweb:99999/', { curlCode: 3 }],
  ])('%s', (url, expected) => {
    expect(parseCurlTarget(url, 'learner-1')).toMatchObject(expected);
  });

  it('reads its options', () => {
    expect(parseCurlArguments(['-sS', '-w', '\\n', '-m', '5', 'vweb'])).toMatchObject({
      silent: true,
      showError: true,
      writeOut: '\\n',
      maxTimeSeconds: 5,
      urls: ['vweb'],
    });
    expect(parseCurlArguments(['-siv', '--fail', 'a', 'b'])).toMatchObject({
      silent: true,
      include: true,
      verbose: true,
      fail: true,
      urls: ['a', 'b'],
    });
    expect(parseCurlArguments(['-so', '/dev/null', '--write-out=%{http_code}', 'vweb'])).toMatchObject({
      discard: true,
      writeOut: '%{http_code}',
    });
    expect(parseCurlArguments(['--data', 'x', 'vweb'])).toMatch(/--data: is not available here/);
    expect(parseCurlArguments(['-H', 'X: y', 'vweb'])).toMatch(/-H: is not available here/);
  });

  it('expands -w formats', () => {
    expect(formatWriteOut('\\n%{http_code} %{url_effective}%%\\t', { status: 200, body: 'v1' }, 'vweb')).toBe(
      '\n200 vweb%\t',
    );
    expect(formatWriteOut('%{http_code}', undefined, 'x')).toBe('000');
  });
});

describe('the commands in the shell', () => {
  let h: ShellHarness;
  beforeAll(async () => {
    h = await createShellHarness({ columns: 60 });
  });
  afterAll(async () => {
    await h.workdir.remove();
  });

  it('ls lays out columns on the terminal, one per line in a pipe, and -l and -a', async () => {
    expect(await h.run('ls vweb')).toBe(
      'ls vweb\nupdate  vweb-service.yaml  vweb-v1.yaml\nch09 (learner-1) $ ',
    );
    expect(await h.run('ls vweb | cat')).toContain('\nupdate\nvweb-service.yaml\nvweb-v1.yaml\n');
    expect(await h.run('ls -la vweb/update')).toMatch(
      /^drwxr-xr-x .* \.\n.* \.\.\n-rw-r--r-- 1 learner learner +\d+ \w{3} [ \d]\d {1,2}[\d:]+ vweb-v1-scale\.yaml\n/m,
    );
    expect(await h.run('ls -F links')).toContain('etc@  passwd.yaml@  v1.yaml@');
    expect(await h.run('ls nope')).toContain("ls: cannot access 'nope': No such file or directory");
  });

  it('cd moves inside the workdir, shows it in the prompt, and cd - goes back', async () => {
    expect(await h.run('cd vweb/update')).toBe('cd vweb/update\nch09/vweb/update (learner-1) $ ');
    expect(await h.run('pwd')).toBe(`pwd\n${h.workdir.root}/vweb/update\nch09/vweb/update (learner-1) $ `);
    expect(await h.run('cd ../..')).toBe('cd ../..\nch09 (learner-1) $ ');
    expect(await h.run('cd -')).toBe(`cd -\n${h.workdir.root}/vweb/update\nch09/vweb/update (learner-1) $ `);
    expect(await h.run(`cd ${h.workdir.root}/lab`)).toBe(
      'cd /…/lab\nch09/lab (learner-1) $ '.replace('/…/lab', `${h.workdir.root}/lab`),
    );
    expect(await h.run('cd notes')).toContain('cd: notes: No such file or directory');
    expect(await h.run('cd')).toBe('cd\nch09 (learner-1) $ ');
    expect(await h.run('cd vweb/vweb-v1.yaml')).toContain('cd: vweb/vweb-v1.yaml: Not a directory');
  });

  it('cat and the filters read files of the workdir', async () => {
    expect(await h.run('cat vweb/update/vweb-v2.yaml | grep image')).toContain(
      'image: kiamol/ch09-vweb:v2\n',
    );
    expect(await h.run('grep -c version vweb/update/vweb-v11.yaml')).toContain('\n1\n');
    expect(await h.run('head -n 2 vweb/vweb-v1.yaml')).toBe(
      'head -n 2 vweb/vweb-v1.yaml\napiVersion: apps/v1\nkind: Deployment\nch09 (learner-1) $ ',
    );
    expect(await h.run('cat links/v1.yaml | wc -l')).toContain('\n23\n');
    expect(await h.run('cat vweb')).toContain('cat: vweb: Is a directory');
    expect(await h.run('grep x')).toContain('grep: there is nothing to read');
    expect(await h.run('sort notes.txt | uniq -c | sort -rn | head -n 1')).toContain('      2 a\n');
  });

  it('echo, history and help', async () => {
    expect(await h.run('echo -n a b')).toBe('echo -n a b\na b\nch09 (learner-1) $ ');
    expect(await h.run('echo -e "a\\tb"')).toContain('\na\tb\n');
    expect(await h.run('history 2')).toMatch(/ {3}\d+ {2}echo -e "a\\tb"\n {3}\d+ {2}history 2\n/);
    expect(await h.run('help grep')).toContain('grep [-icvEFnw] PATTERN [FILE]...');
    expect(await h.run('help')).toContain('for i in {1..10}; do curl');
  });

  it('curl prints the body, -i headers, -w after it, and curl-style errors', async () => {
    h.http.targets.length = 0;
    h.http.reply = (t) =>
      t.kind === 'service' && t.name === 'down'
        ? new HttpProxyError(7, 'Failed to connect to down port 80 after 0 ms: Connection refused')
        : { status: 200, statusText: 'OK', headers: { 'content-type': 'text/plain' }, body: 'v2' };
    // The body has no newline: the prompt still starts on a line of its own.
    expect(await h.run('curl http://localhost:8090/v.txt')).toBe(
      'curl http://localhost:8090/v.txt\nv2\nch09 (learner-1) $ ',
    );
    expect(await h.run("curl -s vweb:8090/v.txt -w '\\n'")).toBe(
      "curl -s vweb:8090/v.txt -w '\\n'\nv2\nch09 (learner-1) $ ",
    );
    expect(await h.run('curl -i vweb:8090')).toContain('HTTP/1.1 200 OK\ncontent-type: text/plain\n\nv2');
    expect(await h.run('curl -v vweb:8090/v.txt')).toContain('> GET /v.txt HTTP/1.1\n> Host: vweb:8090\n');
    expect(await h.run('curl down')).toContain('curl: (7) Failed to connect to down port 80');
    expect(h.shell.lastStatus).toBe(7);
    expect(await h.run('curl -s down')).toBe('curl -s down\nch09 (learner-1) $ ');
    expect(await h.run('curl -so /dev/null -w %{http_code} vweb')).toContain('\n200\n');
    expect(h.http.targets).toHaveLength(7);
  });

  it('curl gives up after -m seconds of clock time', async () => {
    const original = h.http.get;
    // A proxy that never answers, until its signal is aborted.
    h.http.get = (_target, { signal }) =>
      new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    try {
      h.shell.input('curl -m 2 vweb\r');
      await new Promise((r) => setTimeout(r, 10));
      expect(h.shell.busy).toBe(true);
      h.clock.advance(2000);
      await h.shell.whenIdle();
      expect(h.text()).toContain(
        'curl: (28) Operation timed out after 2000 milliseconds with 0 bytes received',
      );
      expect(h.shell.lastStatus).toBe(28);
    } finally {
      h.http.get = original;
    }
  });
});

describe('watch', () => {
  it.each([
    [['kubectl', 'get', 'rs'], { intervalSeconds: 2, title: true, command: ['kubectl', 'get', 'rs'] }],
    [
      ['-n', '5', 'kubectl', 'get', 'rs', '-n', 'x'],
      { intervalSeconds: 5, command: ['kubectl', 'get', 'rs', '-n', 'x'] },
    ],
    [['-n1', '-t', 'ls'], { intervalSeconds: 1, title: false, command: ['ls'] }],
    [['--interval=0.1', 'ls'], { intervalSeconds: 0.5 }],
    [['-n', 'x', 'ls'], "watch: failed to parse argument: 'x'"],
    [['-d', 'ls'], /option -d is not available/],
    [['-n', '1'], /Usage: watch/],
  ])('%j', (args, expected) => {
    const parsed = parseWatchArguments(args);
    if (expected instanceof RegExp) expect(parsed).toMatch(expected);
    else if (typeof expected === 'string') expect(parsed).toBe(expected);
    else expect(parsed).toMatchObject(expected);
  });

  it('reruns the command on the clock until Ctrl-C, on its own screen, and gives the terminal back', async () => {
    const h = await createShellHarness({ columns: 80 });
    try {
      let round = 0;
      h.kubectl.reply = () => ({ stdout: `NAME   DESIRED\nvweb   ${++round}\n` });
      h.shell.input('watch -n 2 kubectl get rs\r');
      await new Promise((r) => setTimeout(r, 10));
      expect(h.kubectl.calls).toHaveLength(1);
      expect(h.raw()).toContain('\x1b[?1049h');
      expect(h.text()).toMatch(
        /Every 2\.0s: kubectl get rs +rollout-lab: Thu Jan {2}1 00:00:00 2026\n\nNAME {3}DESIRED\nvweb {3}1/,
      );
      h.clock.advance(1999);
      await new Promise((r) => setTimeout(r, 10));
      expect(h.kubectl.calls).toHaveLength(1);
      h.clock.advance(1);
      await new Promise((r) => setTimeout(r, 10));
      expect(h.kubectl.calls).toHaveLength(2);
      expect(h.text()).toContain('vweb   2');
      h.shell.input('\x03');
      await h.shell.whenIdle();
      expect(h.raw()).toContain('\x1b[?1049l');
      expect(h.shell.lastStatus).toBe(130);
      expect(h.clock.pendingTimers()).toBe(0);
      expect(await h.run('pwd')).toContain(h.workdir.root);
      expect(h.kubectl.calls).toHaveLength(2);
    } finally {
      await h.workdir.remove();
    }
  });
});
