// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell lines with ${…} are the data under test
import { describe, expect, it } from 'vitest';
import {
  formatShellSyntaxError,
  type ShellSyntaxError,
  type ShellSyntaxReason,
} from '../../../sandbox/shell/errors.ts';
import {
  type Command,
  type CommandList,
  expandWords,
  MAX_LINE_BYTES,
  parseLine,
} from '../../../sandbox/shell/parse.ts';

/** A parsed line in a compact form: pipelines of argument lists, loops as `for i in …`. */
function summarize(list: CommandList, variables = new Map<string, string>()): unknown[] {
  return list.entries.map((entry) => ({
    connector: entry.connector,
    commands: entry.pipeline.commands.map((c) => summarizeCommand(c, variables)),
  }));
}

function summarizeCommand(command: Command, variables: Map<string, string>): unknown {
  if (command.kind === 'simple') return expandWords(command.words, variables);
  return {
    for: command.variable,
    in: command.values,
    body: summarize(command.body, new Map([...variables, [command.variable, '$']])),
  };
}

function refusal(line: string): ShellSyntaxError {
  try {
    parseLine(line);
  } catch (error) {
    return error as ShellSyntaxError;
  }
  throw new Error(`expected ${JSON.stringify(line)} to be refused`);
}

describe('parseLine accepts the language of the lessons', () => {
  it.each([
    ['kubectl get rs -l app=vweb', [['kubectl', 'get', 'rs', '-l', 'app=vweb']]],
    ['  kubectl   apply  -f vweb/  ', [['kubectl', 'apply', '-f', 'vweb/']]],
    ["kubectl get po -l 'app in (vweb)'", [['kubectl', 'get', 'po', '-l', 'app in (vweb)']]],
    ['kubectl annotate deploy/vweb note=""', [['kubectl', 'annotate', 'deploy/vweb', 'note=']]],
    ['echo "a  b" c\\ d', [['echo', 'a  b', 'c d']]],
    ["echo 'it''s'", [['echo', 'its']]],
    ['echo "say \\"hi\\" \\$5 \\n"', [['echo', 'say "hi" $5 \\n']]],
    ["echo '$(id) `id` > x'", [['echo', '$(id) `id` > x']]],
    ['echo $ a$ "$"', [['echo', '$', 'a$', '$']]],
    // The book's custom-columns key: the backslashes before dots reach kubectl.
    [
      'kubectl get rs -o=custom-columns=REVISION:.metadata.annotations.deployment\\.kubernetes\\.io/revision',
      [
        [
          'kubectl',
          'get',
          'rs',
          '-o=custom-columns=REVISION:.metadata.annotations.deployment\\.kubernetes\\.io/revision',
        ],
      ],
    ],
    // Brackets and braces that are not brace expansion stay literal, as in bash.
    [
      'kubectl get po -o=custom-columns=IMAGE:.spec.containers[0].image',
      [['kubectl', 'get', 'po', '-o=custom-columns=IMAGE:.spec.containers[0].image']],
    ],
    [
      'kubectl get deploy vweb -o jsonpath={.spec.replicas}',
      [['kubectl', 'get', 'deploy', 'vweb', '-o', 'jsonpath={.spec.replicas}']],
    ],
    ['ls *.yaml', [['ls', '*.yaml']]],
    ['kubectl get po -l app!=vweb', [['kubectl', 'get', 'po', '-l', 'app!=vweb']]],
    ['echo a#b # a comment', [['echo', 'a#b']]],
    ['echo 3 {1..3}', [['echo', '3', '1', '2', '3']]],
    ['echo {}', [['echo', '{}']]],
    ['echo 안녕 "하세요"', [['echo', '안녕', '하세요']]],
    ['\\--kubeconfig', [['--kubeconfig']]],
    ['--kube"config"=x', [['--kubeconfig=x']]],
  ])('%s', (line, expected) => {
    const parsed = summarize(parseLine(line));
    expect(parsed).toEqual([{ connector: ';', commands: expected }]);
  });

  it.each([
    ['', []],
    ['   ', []],
    ['# only a comment', []],
    [
      'kubectl get rs | grep vweb | wc -l',
      [
        {
          connector: ';',
          commands: [
            ['kubectl', 'get', 'rs'],
            ['grep', 'vweb'],
            ['wc', '-l'],
          ],
        },
      ],
    ],
    [
      'cd vweb && ls; pwd;',
      [
        { connector: ';', commands: [['cd', 'vweb']] },
        { connector: '&&', commands: [['ls']] },
        { connector: ';', commands: [['pwd']] },
      ],
    ],
    [
      'for i in {1..3}; do curl -s "vweb:8090/v.txt?n=$i"; echo ${i}; done',
      [
        {
          connector: ';',
          commands: [
            {
              for: 'i',
              in: ['1', '2', '3'],
              body: [
                { connector: ';', commands: [['curl', '-s', 'vweb:8090/v.txt?n=$']] },
                { connector: ';', commands: [['echo', '$']] },
              ],
            },
          ],
        },
      ],
    ],
    [
      'for v in v1 v2 ; do echo $v | grep 2 ; done && pwd',
      [
        {
          connector: ';',
          commands: [
            {
              for: 'v',
              in: ['v1', 'v2'],
              body: [
                {
                  connector: ';',
                  commands: [
                    ['echo', '$'],
                    ['grep', '2'],
                  ],
                },
              ],
            },
          ],
        },
        { connector: '&&', commands: [['pwd']] },
      ],
    ],
    [
      'for i in {3..1}; do echo done; done',
      [
        {
          connector: ';',
          commands: [
            { for: 'i', in: ['3', '2', '1'], body: [{ connector: ';', commands: [['echo', 'done']] }] },
          ],
        },
      ],
    ],
    [
      'for i in {1..10}; do curl http://localhost:8090/v.txt; done | sort | uniq -c',
      [
        {
          connector: ';',
          commands: [
            {
              for: 'i',
              in: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
              body: [{ connector: ';', commands: [['curl', 'http://localhost:8090/v.txt']] }],
            },
            ['sort'],
            ['uniq', '-c'],
          ],
        },
      ],
    ],
  ])('%j', (line, expected) => {
    expect(summarize(parseLine(line))).toEqual(expected);
  });

  it('expands the loop variable in the body only, with each value in turn', () => {
    const list = parseLine('for i in {1..2}; do echo "v$i" ${i}x; done');
    const loop = list.entries[0]!.pipeline.commands[0]!;
    if (loop.kind !== 'for') throw new Error('expected a loop');
    const body = loop.body.entries[0]!.pipeline.commands[0]!;
    if (body.kind !== 'simple') throw new Error('expected a command');
    expect(loop.values.map((v) => expandWords(body.words, new Map([['i', v]])))).toEqual([
      ['echo', 'v1', '1x'],
      ['echo', 'v2', '2x'],
    ]);
  });
});

describe('parseLine refuses what a real shell would give meaning to', () => {
  it.each<[string, ShellSyntaxReason, number, string | undefined]>([
    ['echo $(id)', 'command-substitution', 5, '$(…)'],
    ['echo "$(id)"', 'command-substitution', 6, '$(…)'],
    ['echo $((1+1))', 'arithmetic', 5, undefined],
    ['echo `id`', 'backtick', 5, '`…`'],
    ['echo "`id`"', 'backtick', 6, undefined],
    ['echo hi > /etc/passwd', 'redirection', 8, '>'],
    ['echo hi >> x', 'redirection', 8, '>>'],
    ['cat < /etc/shadow', 'redirection', 4, '<'],
    ['kubectl get po 2>&1', 'redirection', 15, '2>&1'],
    ['kubectl get po &> x', 'redirection', 15, undefined],
    ['cat <<EOF', 'redirection', 4, '<<'],
    ['kubectl get po |& grep x', 'redirection', 15, '|&'],
    ['kubectl get po -w &', 'background', 18, '&'],
    ['kubectl get po || echo failed', 'or-list', 15, '||'],
    ['(cd /; ls)', 'subshell', 0, '('],
    ['{ ls; }', 'group', 0, '{'],
    ['KUBECONFIG=/x kubectl get po', 'assignment', 0, 'KUBECONFIG='],
    ['a=1', 'assignment', 0, 'a='],
    ['echo $HOME', 'variable', 5, '$HOME'],
    ['echo ${HOME}', 'variable', 5, '${HOME}'],
    ['echo ${HOME:-x}', 'parameter-expansion', 5, undefined],
    ['echo $?', 'special-parameter', 5, '$?'],
    ['echo $1', 'special-parameter', 5, '$1'],
    ["echo $'\\x41'", 'ansi-quote', 5, undefined],
    ['echo {a,b}', 'brace-expansion', 5, '{a,b}'],
    ['echo x{1..3}', 'brace-expansion', 6, '{1..3}'],
    ['echo {a..c}', 'brace-expansion', 5, '{a..c}'],
    ['for i in {1..1000}; do echo $i; done', 'range-too-large', 9, undefined],
    ['cat ~/.kube/config', 'tilde', 4, '~'],
    ['echo !!', 'history-expansion', 5, '!'],
    ['echo "!foo"', 'history-expansion', 6, undefined],
    ['if true; then ls; fi', 'keyword', 0, 'if'],
    ['while true; do ls; done', 'keyword', 0, 'while'],
    ['! ls', 'keyword', 0, '!'],
    ['echo "open', 'unterminated-quote', 5, '"'],
    ["echo 'open", 'unterminated-quote', 5, "'"],
    ['echo \\', 'line-continuation', 5, undefined],
    ['; ls', 'unexpected-token', 0, ';'],
    ['ls ;; ls', 'unexpected-token', 3, ';;'],
    ['ls &&', 'missing-command', 4, '&&'],
    ['ls | | grep', 'missing-command', 4, '|'],
    ['ls |', 'missing-command', 3, '|'],
    ['done', 'unexpected-token', 0, 'done'],
    ['for i in 1 2; echo $i; done', 'bad-for-loop', 14, 'for'],
    ['for i in 1 2; do echo $i', 'bad-for-loop', 23, 'for'],
    ['for i in 1 2 do echo $i; done', 'bad-for-loop', 13, 'for'],
    ['for 1 in a; do echo; done', 'bad-for-loop', 4, 'for'],
    ['for i; do echo; done', 'bad-for-loop', 5, 'for'],
    ['for i in a; do done', 'bad-for-loop', 15, 'for'],
    ['for i in $x; do echo; done', 'variable', 9, '$x'],
    ['for i in 1; do echo $j; done', 'variable', 20, '$j'],
    ['ls\u0000', 'control-character', 2, 'U+0000'],
    ['ls\u001b[31m', 'control-character', 2, 'U+001B'],
    ['ls\nrm', 'control-character', 2, 'U+000A'],
    ['ls\u0085', 'control-character', 2, 'U+0085'],
    ['ls \uFFFD', 'invalid-text', 3, undefined],
    ['ls \uD800x', 'invalid-text', 3, undefined],
    ['kubectl get po \u200B-n x', 'invisible-character', 15, 'U+200B'],
    ['kubectl get po \u202Eon-', 'invisible-character', 15, 'U+202E'],
    ['kubectl \u2014kubeconfig=x get po', 'lookalike-dash', 8, '—'],
    ['kubectl -\u2013kubeconfig=x get po', 'lookalike-dash', 8, '–'],
    ['kubectl get\u00A0po', 'odd-space', 11, 'U+00A0'],
    ['kubectl get\u3000po', 'odd-space', 11, 'U+3000'],
  ])('%j is refused as %s at %d', (line, reason, position, construct) => {
    const error = refusal(line);
    expect(error.name).toBe('ShellSyntaxError');
    expect(error.reason).toBe(reason);
    expect(error.position).toBe(position);
    if (construct !== undefined) expect(error.construct).toBe(construct);
    expect(error.message.length).toBeGreaterThan(10);
    expect(error.suggestion.length).toBeGreaterThan(10);
  });

  it.each([
    ['4096 ASCII bytes', 'x'.repeat(MAX_LINE_BYTES), false],
    ['4097 ASCII bytes', 'x'.repeat(MAX_LINE_BYTES + 1), true],
    // 1366 Hangul syllables are 4098 bytes of UTF-8 though only 1366 characters.
    ['1366 Hangul syllables', '가'.repeat(1366), true],
    ['100 KiB', 'a'.repeat(100 * 1024), true],
  ])('a line of %s: refused as too long = %s', (_name, line, refused) => {
    if (refused) expect(refusal(line).reason).toBe('line-too-long');
    else expect(() => parseLine(line)).not.toThrow();
  });

  it('formats a refusal with the line, a caret under the construct and the way forward', () => {
    const line = 'kubectl get po $(id) -o wide';
    expect(formatShellSyntaxError(refusal(line), line)).toBe(
      [
        'rollout-lab: command substitution $(…) is not available in this terminal',
        '  kubectl get po $(id) -o wide',
        '                 ^^^^^',
        'Run the inner command on its own, then type its result into the next command.',
        '',
      ].join('\n'),
    );
  });

  it('never echoes a control character raw in the formatted message', () => {
    const line = 'ls \u001b]0;owned\u0007';
    const text = formatShellSyntaxError(refusal(line), line);
    expect(text).toContain('^[');
    expect([...text].filter((ch) => ch.charCodeAt(0) < 0x20 && ch !== '\n')).toEqual([]);
  });

  it('places the caret by display columns when wide characters come first', () => {
    const line = '한글 $(id)';
    const lines = formatShellSyntaxError(refusal(line), line).split('\n');
    // "한글 " is 5 columns wide: two wide syllables and a space.
    expect(lines[2]).toBe(`  ${' '.repeat(5)}^^^^^`);
  });
});
