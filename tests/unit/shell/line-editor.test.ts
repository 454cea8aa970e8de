import { describe, expect, it } from 'vitest';
import { History } from '../../../sandbox/shell/history.ts';
import { type Completion, type EditorEvent, LineEditor } from '../../../sandbox/shell/line-editor.ts';
import { VirtualTerminal } from './virtual-terminal.ts';

const PROMPT = '$ ';

/** An editor drawn on a virtual terminal; `feed` returns the events other than output. */
function setup(columns = 40, options: { history?: History; maxLineLength?: number } = {}) {
  const history = options.history ?? new History(50);
  const editor = new LineEditor({
    history,
    columns,
    ...(options.maxLineLength ? { maxLineLength: options.maxLineLength } : {}),
  });
  const vt = new VirtualTerminal(columns);
  const play = (events: EditorEvent[]): EditorEvent[] => {
    const others: EditorEvent[] = [];
    for (const e of events) {
      if (e.type === 'output') vt.write(e.data);
      else others.push(e);
    }
    return others;
  };
  play(editor.start(PROMPT));
  return {
    editor,
    vt,
    history,
    feed: (data: string) => play(editor.feed(data)),
    start: () => play(editor.start(PROMPT)),
    complete: (c: Completion | undefined) => play(editor.applyCompletion(c)),
    /** The screen from the prompt's row down, and the cursor relative to it. */
    screen: () => ({ lines: vt.lines(), row: vt.row, col: vt.col }),
  };
}

const LEFT = '\x1b[D';
const RIGHT = '\x1b[C';
const UP = '\x1b[A';
const DOWN = '\x1b[B';

describe('LineEditor: keys', () => {
  it.each<[string, string, string, number]>([
    ['typing', 'kubectl', 'kubectl', 9],
    ['backspace (DEL)', 'kubectx\x7fl', 'kubectl', 9],
    ['backspace (Ctrl-H)', 'ab\x08c', 'ac', 4],
    ['left then insert', `kbectl${LEFT.repeat(5)}u`, 'kubectl', 4],
    ['right after left', `abc${LEFT}${LEFT}${RIGHT}X`, 'abXc', 5],
    ['home (CSI H) then insert', 'ubectl\x1b[Hk', 'kubectl', 3],
    ['home (SS3 H)', 'bc\x1bOHa', 'abc', 3],
    ['home (CSI 1~) and end (CSI 4~)', 'bc\x1b[1~a\x1b[4~d', 'abcd', 6],
    ['end (CSI F)', `ac${LEFT}${LEFT}\x1b[Fd`, 'acd', 5],
    ['Ctrl-A and Ctrl-E', 'bc\x01a\x05d', 'abcd', 6],
    ['Ctrl-B and Ctrl-F', 'ac\x02b\x06d', 'abcd', 6],
    ['delete key', `abc${LEFT}${LEFT}\x1b[3~`, 'ac', 3],
    ['Ctrl-D deletes under the cursor', `abc${LEFT}\x04`, 'ab', 4],
    ['Ctrl-U kills to the start', `kubectl get po${LEFT.repeat(3)}\x15`, ' po', 2],
    ['Ctrl-K kills to the end', `kubectl get po${LEFT.repeat(3)}\x0b`, 'kubectl get', 13],
    ['Ctrl-W kills the word before', 'kubectl get po  \x17', 'kubectl get ', 14],
    ['Alt-Backspace kills a word part', 'deploy/vweb\x1b\x7f', 'deploy/', 9],
    ['Ctrl-Left and Ctrl-Right move by words', 'get rs\x1b[1;5DX\x1b[1;5CY', 'get XrsY', 10],
    ['unknown keys (F1, F5, focus) do nothing', 'a\x1bOP\x1b[15~\x1b[Ib', 'ab', 4],
    ['a sequence split across two feeds', 'ab\x1b[|D|X', 'aXb', 4],
    ['Alt-b (Esc then b) moves back a word', 'ab cd\x1b|bX', 'ab Xcd', 6],
    ['wide characters', '한글 ok', '한글 ok', 9],
    ['backspace over a wide character', '한글\x7f', '한', 4],
    ['an emoji (surrogate pair) moves as one', `a😀b${LEFT}${LEFT}\x7f`, '😀b', 2],
    ['unbound control keys are kept, in caret form', 'ls\x00\x12', 'ls^@^R', 8],
  ])('%s', (_name, keys, line, col) => {
    const t = setup();
    for (const part of keys.split('|')) expect(t.feed(part)).toEqual([]);
    expect(t.editor.state.line.replaceAll('\x00', '^@').replaceAll('\x12', '^R')).toBe(line);
    expect(t.screen()).toEqual({ lines: [`${PROMPT}${line}`.trimEnd()], row: 0, col });
  });

  it('submits on Enter, keeps the line in history, and waits for the next prompt', () => {
    const t = setup();
    expect(t.feed('kubectl get rs\r')).toEqual([{ type: 'submit', line: 'kubectl get rs' }]);
    expect(t.editor.isPaused).toBe(true);
    expect(t.history.entries().map((e) => e.line)).toEqual(['kubectl get rs']);
    // Keys typed while the command runs wait.
    expect(t.feed('pwd\r')).toEqual([]);
    expect(t.screen().lines).toEqual(['$ kubectl get rs']);
    expect(t.start()).toEqual([{ type: 'submit', line: 'pwd' }]);
    expect(t.screen().lines).toEqual(['$ kubectl get rs', '$ pwd']);
  });

  it('drops a lone Esc before Enter, so the line is still submitted', () => {
    const t = setup();
    t.feed('ls\x1b');
    expect(t.feed('\r')).toEqual([{ type: 'submit', line: 'ls' }]);
  });

  it('treats CR LF as one Enter and LF alone as Enter', () => {
    const t = setup();
    expect(t.feed('a\r\n')).toEqual([{ type: 'submit', line: 'a' }]);
    expect(t.start()).toEqual([]);
    expect(t.feed('b\n')).toEqual([{ type: 'submit', line: 'b' }]);
  });

  it('runs a multi-line paste line by line, each after the previous has finished', () => {
    const t = setup();
    expect(t.feed('\x1b[200~kubectl apply -f vweb/\r\nkubectl get rs\nls\x1b[201~')).toEqual([
      { type: 'submit', line: 'kubectl apply -f vweb/' },
    ]);
    expect(t.start()).toEqual([{ type: 'submit', line: 'kubectl get rs' }]);
    expect(t.start()).toEqual([]);
    // The last line of the paste waits for Enter, as in bash.
    expect(t.editor.state.line).toBe('ls');
    expect(t.feed('\r')).toEqual([{ type: 'submit', line: 'ls' }]);
  });

  it('takes pasted control keys as text: Ctrl-C and ESC are kept, a tab is a space', () => {
    const t = setup();
    expect(t.feed('\x1b[200~a\tb\x03c\x1b[2J\x1b[201~')).toEqual([]);
    expect(t.editor.state.line).toBe('a b\x03c\x1b[2J');
    expect(t.screen().lines).toEqual(['$ a b^Cc^[[2J']);
  });

  it('waits for the end of a paste split across feeds', () => {
    const t = setup();
    t.feed('\x1b[200~ab');
    t.feed('c\x1b[20');
    expect(t.feed('1~d')).toEqual([]);
    expect(t.editor.state.line).toBe('abcd');
  });

  it('interrupts with Ctrl-C: ^C, a fresh prompt, the line forgotten', () => {
    const t = setup();
    expect(t.feed('kubectl get po\x03')).toEqual([{ type: 'interrupt' }]);
    expect(t.screen()).toEqual({ lines: ['$ kubectl get po^C', '$'], row: 1, col: 2 });
    expect(t.editor.state.line).toBe('');
    expect(t.history.size).toBe(0);
  });

  it('clears the screen with Ctrl-L and redraws the line being typed', () => {
    const t = setup();
    t.feed('x\r');
    t.start();
    expect(t.feed('kubectl\x0c')).toEqual([{ type: 'clear' }]);
    expect(t.screen()).toEqual({ lines: ['$ kubectl'], row: 0, col: 9 });
  });

  it('rings the bell once when the line is full, and keeps what fits', () => {
    const t = setup(40, { maxLineLength: 10 });
    let bells = 0;
    const editorOutput = (data: string) =>
      t.editor
        .feed(data)
        .filter((e) => e.type === 'output')
        .map((e) => (e as { data: string }).data)
        .join('');
    for (const chunk of ['12345678', '9abc', 'def']) bells += editorOutput(chunk).split('\x07').length - 1;
    expect(t.editor.state.line).toBe('123456789a');
    expect(bells).toBe(1);
  });

  it('ignores Ctrl-Z and rings on Ctrl-D at an empty line instead of ending the session', () => {
    const t = setup();
    expect(t.feed('\x1a\x04')).toEqual([]);
    expect(t.editor.state.line).toBe('');
  });
});

describe('LineEditor: history', () => {
  it('walks back and forth, and keeps the line being typed as a draft', () => {
    const history = new History(10);
    for (const line of ['kubectl get rs', 'kubectl rollout history deploy/vweb']) history.add(line);
    const t = setup(80, { history });
    t.feed('kubectl desc');
    t.feed(UP);
    expect(t.editor.state.line).toBe('kubectl rollout history deploy/vweb');
    t.feed(UP);
    expect(t.editor.state.line).toBe('kubectl get rs');
    t.feed(UP);
    expect(t.editor.state.line).toBe('kubectl get rs');
    t.feed(DOWN);
    t.feed(DOWN);
    expect(t.editor.state.line).toBe('kubectl desc');
    expect(t.screen()).toEqual({ lines: ['$ kubectl desc'], row: 0, col: 14 });
    t.feed('\x10');
    expect(t.editor.state.line).toBe('kubectl rollout history deploy/vweb');
    t.feed('\x0e');
    expect(t.editor.state.line).toBe('kubectl desc');
  });

  it('is bounded and skips blank lines and repeats', () => {
    const history = new History(3);
    for (const line of ['a', 'a', ' ', 'b', 'c', 'd']) history.add(line);
    expect(history.entries()).toEqual([
      { number: 2, line: 'b' },
      { number: 3, line: 'c' },
      { number: 4, line: 'd' },
    ]);
  });

  it('redraws a shorter history line without leftovers', () => {
    const history = new History(10);
    history.add('kubectl get rs -l app=vweb --show-labels');
    history.add('ls');
    const t = setup(80, { history });
    t.feed(UP);
    t.feed(UP);
    t.feed(DOWN);
    expect(t.screen()).toEqual({ lines: ['$ ls'], row: 0, col: 4 });
  });
});

describe('LineEditor: long lines wrap and the cursor follows', () => {
  it('echoes across rows and moves to the next row when a row is exactly full', () => {
    const t = setup(10);
    t.feed('abcdefgh');
    // "$ " plus 8 characters fill the 10 columns exactly: the cursor waits at the next row.
    expect(t.screen()).toEqual({ lines: ['$ abcdefgh'], row: 1, col: 0 });
    t.feed('ij');
    expect(t.screen()).toEqual({ lines: ['$ abcdefgh', 'ij'], row: 1, col: 2 });
  });

  it('moves left over a row boundary and inserts in the first row', () => {
    const t = setup(10);
    t.feed('abcdefghij');
    t.feed(LEFT.repeat(4));
    expect(t.screen()).toMatchObject({ row: 0, col: 8 });
    t.feed('X');
    expect(t.screen()).toEqual({ lines: ['$ abcdefXg', 'hij'], row: 0, col: 9 });
    t.feed('\x05');
    expect(t.screen()).toMatchObject({ row: 1, col: 3 });
  });

  it('deletes back over a row boundary and erases the emptied row', () => {
    const t = setup(10);
    t.feed('abcdefghij');
    t.feed('\x7f\x7f\x7f');
    expect(t.screen()).toEqual({ lines: ['$ abcdefg'], row: 0, col: 9 });
  });

  it('draws a wide character that does not fit the last column on the next row', () => {
    const t = setup(10);
    // "$ " (2) + 7 ASCII = 9 columns; "한" needs 2, so the terminal draws it at row 1.
    t.feed('abcdefg한');
    expect(t.screen()).toEqual({ lines: ['$ abcdefg', '한'], row: 1, col: 2 });
    t.feed(LEFT);
    expect(t.screen()).toMatchObject({ row: 1, col: 0 });
    t.feed(LEFT);
    expect(t.screen()).toMatchObject({ row: 0, col: 8 });
    t.feed('X');
    expect(t.screen().lines).toEqual(['$ abcdefXg', '한']);
  });

  it('submits from the middle of a wrapped line below the whole line', () => {
    const t = setup(10);
    t.feed(`abcdefghijklmnop${LEFT.repeat(12)}`);
    expect(t.screen()).toMatchObject({ row: 0 });
    expect(t.feed('\r')).toEqual([{ type: 'submit', line: 'abcdefghijklmnop' }]);
    expect(t.screen()).toMatchObject({ row: 2, col: 0 });
  });

  it('keeps track after a resize', () => {
    const t = setup(20);
    t.feed('abcdefghijklmnopqrstuvw');
    t.editor.resize(40);
    const vt = new VirtualTerminal(40);
    vt.write(`${PROMPT}abcdefghijklmnopqrstuvw`);
    // After xterm reflows the line to one row, Ctrl-A must go to column 2 of that row.
    const events = t.editor.feed('\x01');
    for (const e of events) if (e.type === 'output') vt.write(e.data);
    expect({ row: vt.row, col: vt.col }).toEqual({ row: 0, col: 2 });
  });
});

describe('LineEditor: completion', () => {
  it('asks for completion with the line and cursor, then waits for the answer', () => {
    const t = setup();
    expect(t.feed('kubectl ro\tll')).toEqual([{ type: 'complete', line: 'kubectl ro', cursor: 10 }]);
    expect(t.editor.isPaused).toBe(true);
    t.complete({ from: 8, to: 10, candidates: [{ value: 'rollout', display: 'rollout', suffix: ' ' }] });
    // The keys typed while completion ran come after it.
    expect(t.editor.state.line).toBe('kubectl rollout ll');
    expect(t.screen()).toEqual({ lines: ['$ kubectl rollout ll'], row: 0, col: 20 });
  });

  it('completes in the middle of a line and keeps the rest', () => {
    const t = setup();
    t.feed(`cat vweb/upd -n${LEFT.repeat(3)}\t`);
    t.complete({ from: 4, to: 12, candidates: [{ value: 'vweb/update/', display: 'update/', suffix: '' }] });
    expect(t.editor.state).toEqual({ line: 'cat vweb/update/ -n', cursor: 16 });
    expect(t.screen()).toEqual({ lines: ['$ cat vweb/update/ -n'], row: 0, col: 18 });
  });

  it('inserts the common prefix of several candidates', () => {
    const t = setup();
    t.feed('kubectl get d\t');
    t.complete({
      from: 12,
      to: 13,
      candidates: [
        { value: 'deploy', display: 'deploy', suffix: ' ' },
        { value: 'deployment', display: 'deployment', suffix: ' ' },
        { value: 'deployments', display: 'deployments', suffix: ' ' },
      ],
    });
    expect(t.editor.state.line).toBe('kubectl get deploy');
  });

  it('lists the candidates when there is nothing to add, then redraws the line', () => {
    const t = setup(40);
    t.feed('kubectl rollout \t');
    t.complete({
      from: 16,
      to: 16,
      candidates: ['history', 'pause', 'restart', 'resume', 'status', 'undo'].map((v) => ({
        value: v,
        display: v,
        suffix: ' ',
      })),
    });
    expect(t.screen()).toEqual({
      // Filled down, then across, as ls lays out names.
      lines: ['$ kubectl rollout', 'history  restart  status', 'pause    resume   undo', '$ kubectl rollout'],
      row: 3,
      col: 18,
    });
  });

  it('rings the bell when there is nothing to complete', () => {
    const t = setup();
    t.feed('xyz\t');
    const events = t.editor.applyCompletion({ from: 0, to: 3, candidates: [] });
    expect(events).toEqual([{ type: 'output', data: '\x07' }]);
    expect(t.editor.isPaused).toBe(false);
  });
});
