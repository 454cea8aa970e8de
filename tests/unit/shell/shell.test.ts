import { afterEach, describe, expect, it } from 'vitest';
import { EDIT_ALTERNATIVE } from '../../../sandbox/shell/commands/kubectl.ts';
import type { EditRequest } from '../../../sandbox/shell/services.ts';
import { createShellHarness, type ShellHarness } from './harness.ts';

const RS_TABLE = `NAME              DESIRED   CURRENT   READY   AGE
vweb-6bd7464487   3         3         3       6m48s
vweb-7c675fdd96   1         1         0       6s
todo-web-5d8f7    1         1         1       2m
`;

const PROMPT = 'ch09 (learner-1) $ ';

let h: ShellHarness;
afterEach(async () => {
  h.shell.dispose();
  await h.workdir.remove();
});

/** Lets pending promise callbacks and timers of 0 ms run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('createShell', () => {
  it('starts with bracketed paste on and a prompt naming the folder and namespace', async () => {
    h = await createShellHarness();
    expect(h.raw().startsWith('\x1b[?2004h')).toBe(true);
    expect(h.text()).toBe(PROMPT);
  });

  it('pipes kubectl get rs into grep: only the matching rows, kubectl run once in the working folder', async () => {
    h = await createShellHarness();
    h.kubectl.reply = (args) =>
      args[0] === 'get' && args[1] === 'rs' ? { stdout: RS_TABLE } : { code: 1, stderr: 'unexpected\n' };
    const said = await h.run('kubectl get rs | grep vweb');
    expect(said).toBe(
      `kubectl get rs | grep vweb\nvweb-6bd7464487   3         3         3       6m48s\nvweb-7c675fdd96   1         1         0       6s\n${PROMPT}`,
    );
    expect(h.kubectl.calls).toEqual([{ args: ['get', 'rs'], cwd: h.workdir.root }]);
    expect(h.shell.lastStatus).toBe(0);
    // On the terminal, grep colours what matched.
    expect(h.raw()).toContain('\x1b[01;31m\x1b[Kvweb\x1b[m\x1b[K-6bd7464487');
    // Output reaches xterm with CR LF line ends.
    expect(h.raw()).toContain('6m48s\r\n');
  });

  it('sends kubectl errors to the terminal, not into the pipe', async () => {
    h = await createShellHarness();
    h.kubectl.reply = () => ({ stderr: 'No resources found in learner-1 namespace.\n', code: 0 });
    const said = await h.run('kubectl get rs | grep -c vweb');
    expect(said).toBe(
      `kubectl get rs | grep -c vweb\nNo resources found in learner-1 namespace.\n0\n${PROMPT}`,
    );
    expect(h.shell.lastStatus).toBe(1);
  });

  it('runs && only after success and ; always', async () => {
    h = await createShellHarness();
    h.kubectl.reply = (args) =>
      args.includes('missing')
        ? { code: 1, stderr: 'Error from server (NotFound): deployments.apps "missing" not found\n' }
        : { stdout: 'ok\n' };
    await h.run(
      'kubectl get deploy missing && kubectl get deploy after-and; kubectl get deploy after-semicolon',
    );
    expect(h.kubectl.calls.map((c) => c.args[2])).toEqual(['missing', 'after-semicolon']);
    expect(h.shell.lastStatus).toBe(0);
    await h.run('kubectl get deploy a && kubectl get deploy b');
    expect(h.kubectl.calls.map((c) => c.args[2])).toEqual(['missing', 'after-semicolon', 'a', 'b']);
  });

  it('stops after a refused kubectl in an && list and reports 126', async () => {
    h = await createShellHarness();
    await h.run('kubectl proxy && kubectl get po');
    expect(h.kubectl.calls).toEqual([]);
    expect(h.shell.lastStatus).toBe(126);
  });

  it('points out Windows paths copied from PowerShell notes', async () => {
    h = await createShellHarness();
    expect(await h.run('kubectl apply -f .\\vweb\\')).toContain(
      'this looks like a Windows path: here folders are separated by /, not \\',
    );
    expect(await h.run('kubectl apply -f .\\vweb\\update\\vweb-v1-scale.yaml')).toContain(
      'error: the path ".\\vweb\\update\\vweb-v1-scale.yaml" does not exist\nFolders are separated by / here, not \\ as in Windows: vweb/update/vweb-v1-scale.yaml\n',
    );
    expect(h.kubectl.calls).toEqual([]);
  });

  it('answers an unknown command with 127 and the list of what exists', async () => {
    h = await createShellHarness();
    expect(await h.run('foo')).toBe(
      `foo\nfoo: command not found\nAvailable: cat, cd, clear, curl, echo, grep, head, help, history, kubectl, ls, pwd, sort, tail, uniq, watch, wc. Type help for details.\n${PROMPT}`,
    );
    expect(h.shell.lastStatus).toBe(127);
  });

  it('runs the chapter loop: ten requests to the LoadBalancer, counted', async () => {
    h = await createShellHarness();
    let n = 0;
    h.http.reply = () => ({ status: 200, body: ++n % 3 === 0 ? 'v2' : 'v1' });
    const said = await h.run(
      "for i in {1..10}; do curl -s http://localhost:8090/v.txt -w '\\n'; done | sort | uniq -c",
    );
    expect(said).toContain('      7 v1\n      3 v2\n');
    expect(h.http.targets).toHaveLength(10);
    expect(h.http.targets[0]).toEqual({
      kind: 'load-balancer',
      namespace: 'learner-1',
      port: 8090,
      path: '/v.txt',
    });
  });

  it('interrupts a running kubectl with Ctrl-C: the signal aborts, ^C shows, the prompt returns', async () => {
    h = await createShellHarness();
    h.kubectl.reply = () => ({ stdout: 'NAME   DESIRED\nvweb   3\n', follow: true });
    h.shell.input('kubectl get rs -l app=vweb --watch\r');
    await settle();
    expect(h.shell.busy).toBe(true);
    // Typed ahead while it runs: dropped by the Ctrl-C, as a tty flushes input.
    h.shell.input('ls');
    h.shell.input('\x03');
    await h.shell.whenIdle();
    expect(h.kubectl.aborted).toBe(1);
    expect(h.shell.lastStatus).toBe(130);
    expect(h.text()).toBe(
      `${PROMPT}kubectl get rs -l app=vweb --watch\nNAME   DESIRED\nvweb   3\n^C\n${PROMPT}`,
    );
    expect(await h.run('pwd')).toContain(h.workdir.root);
  });

  it('stops a for loop at Ctrl-C', async () => {
    h = await createShellHarness();
    h.kubectl.reply = () => ({ follow: true });
    h.shell.input('for i in {1..5}; do kubectl get po -w; done\r');
    await settle();
    h.shell.input('\x03');
    await h.shell.whenIdle();
    expect(h.kubectl.calls).toHaveLength(1);
    expect(h.shell.lastStatus).toBe(130);
  });

  it('streams a watch through grep, and keeps what grep printed when Ctrl-C ends it', async () => {
    h = await createShellHarness();
    h.kubectl.reply = () => ({ stdout: `${RS_TABLE}`, follow: true });
    h.shell.input('kubectl get rs --watch | grep 7c67\r');
    await settle();
    expect(h.text()).toContain('vweb-7c675fdd96   1         1         0       6s\n');
    h.shell.input('\x03');
    await h.shell.whenIdle();
    expect(h.shell.lastStatus).toBe(130);
  });

  it('stops the left side of a pipe once head has its lines', async () => {
    h = await createShellHarness();
    h.kubectl.reply = () => ({ stdout: RS_TABLE, follow: true });
    const said = await h.run('kubectl get rs -w | head -n 2');
    expect(said).toBe(
      `kubectl get rs -w | head -n 2\nNAME              DESIRED   CURRENT   READY   AGE\nvweb-6bd7464487   3         3         3       6m48s\n${PROMPT}`,
    );
    expect(h.kubectl.aborted).toBe(1);
    expect(h.shell.lastStatus).toBe(0);
  });

  it('runs a pasted block of commands one after another', async () => {
    h = await createShellHarness();
    const order: string[] = [];
    h.kubectl.reply = (args) => {
      order.push(args.join(' '));
      return { stdout: `${args[0]} done\n` };
    };
    h.shell.input('\x1b[200~kubectl apply -f vweb/\nkubectl get rs -l app=vweb\ncd vweb\n\x1b[201~');
    await h.shell.whenIdle();
    expect(order).toEqual(['apply -f vweb/', 'get rs -l app=vweb']);
    expect(h.shell.cwd).toBe(`${h.workdir.root}/vweb`);
    expect(h.text()).toBe(
      `${PROMPT}kubectl apply -f vweb/\napply done\n${PROMPT}kubectl get rs -l app=vweb\nget done\n${PROMPT}cd vweb\nch09/vweb (learner-1) $ `,
    );
  });

  it('keeps going after a syntax error in the middle of a paste', async () => {
    h = await createShellHarness();
    h.shell.input('\x1b[200~pwd\necho $(id)\npwd\n\x1b[201~');
    await h.shell.whenIdle();
    expect(h.text().split(h.workdir.root).length - 1).toBe(2);
    expect(h.text()).toContain('command substitution');
  });

  it('completes with Tab through the workdir and the name lookup', async () => {
    const lookups: string[] = [];
    h = await createShellHarness({
      listNames: async (resource) => {
        lookups.push(resource);
        return resource === 'deployments' ? ['vweb'] : [];
      },
    });
    h.shell.input('kubectl apply -f vweb/upd\t');
    await h.shell.whenIdle();
    h.shell.input('vweb-v2\t');
    await h.shell.whenIdle();
    expect(h.screen()).toEqual([`${PROMPT}kubectl apply -f vweb/update/vweb-v2.yaml`]);
    // Completing at the end of the line only appends: no redraw of the whole line.
    expect(h.text()).toBe(`${PROMPT}kubectl apply -f vweb/update/vweb-v2.yaml `);
    h.shell.input('\x15kubectl rollout history deploy/\t');
    await h.shell.whenIdle();
    expect(lookups).toEqual(['deployments']);
    h.shell.input('\r');
    await h.shell.whenIdle();
    expect(h.kubectl.calls.at(-1)?.args).toEqual(['rollout', 'history', 'deploy/vweb']);
  });

  it('gives up on a completion lookup that hangs, and the terminal stays usable', async () => {
    h = await createShellHarness({ listNames: () => new Promise(() => {}) });
    h.shell.input('kubectl get rs \t');
    await settle();
    h.shell.input('x');
    h.clock.advance(2000);
    await h.shell.whenIdle();
    expect(h.screen()).toEqual([`${PROMPT}kubectl get rs x`]);
    expect(h.raw()).toContain('\x07');
  });

  it('runs kubectl edit through the page editor when there is one, with the confined arguments', async () => {
    const requests: EditRequest[] = [];
    h = await createShellHarness({
      openEditor: async (request, run) => {
        requests.push(request);
        expect(run.cwd).toBe(h.workdir.root);
        run.onOutput('deployment.apps/vweb edited\n', 'stdout');
        return 0;
      },
    });
    expect(await h.run('kubectl -n learner-1 edit deploy/vweb')).toBe(
      `kubectl -n learner-1 edit deploy/vweb\ndeployment.apps/vweb edited\n${PROMPT}`,
    );
    expect(requests).toEqual([{ args: ['-n', 'learner-1', 'edit', 'deploy/vweb'], target: ['deploy/vweb'] }]);
    expect(h.shell.lastStatus).toBe(0);
    expect(h.kubectl.calls).toEqual([]);
  });

  it('stops a kubectl edit on Ctrl-C and reports the interruption', async () => {
    let aborted = false;
    h = await createShellHarness({
      openEditor: (_request, run) =>
        new Promise((resolve) => {
          run.signal.addEventListener('abort', () => {
            aborted = true;
            resolve(130);
          });
        }),
    });
    h.shell.input('kubectl edit deploy/vweb\r');
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.shell.busy).toBe(true);
    h.shell.input('\x03');
    await h.shell.whenIdle();
    expect(aborted).toBe(true);
    expect(h.shell.lastStatus).toBe(130);
  });

  it('explains the alternative to kubectl edit when the session has no page editor', async () => {
    h = await createShellHarness();
    expect(await h.run('kubectl edit deploy/vweb')).toContain(EDIT_ALTERNATIVE);
    expect(h.shell.lastStatus).toBe(1);
    expect(h.kubectl.calls).toEqual([]);
  });

  it('does not let an internal error end the shell', async () => {
    h = await createShellHarness();
    h.kubectl.run = () => Promise.reject(new Error('spawn kubectl ENOENT'));
    expect(await h.run('kubectl version')).toContain('kubectl: could not be started: spawn kubectl ENOENT');
    expect(h.shell.lastStatus).toBe(1);
    expect(await h.run('pwd')).toContain(h.workdir.root);
  });

  it('passes the terminal width to kubectl and lays out ls by it after a resize', async () => {
    h = await createShellHarness({ columns: 100 });
    let columns = 0;
    h.kubectl.run = async (_args, options) => {
      columns = options.columns;
      return 0;
    };
    h.shell.resize(30, 20);
    await h.run('kubectl get po');
    expect(columns).toBe(30);
    // Three rows, as GNU ls would choose for 30 columns: two rows would need 33.
    expect(await h.run('ls')).toContain(
      '\nlab        todo-list\nlinks      vweb\nnotes.txt  vweb-strategies\n',
    );
  });

  it('clears the screen with clear and with Ctrl-L', async () => {
    h = await createShellHarness();
    await h.run('clear');
    expect(h.raw()).toContain('\x1b[H\x1b[2J\x1b[3J');
    h.reset();
    h.shell.input('ls\x0c');
    expect(h.raw()).toBe(`ls\x1b[H\x1b[2J\x1b[1;32mch09\x1b[0m \x1b[36m(learner-1)\x1b[0m $ ls\x1b[J`);
    expect(h.screen()).toEqual([`${PROMPT}ls`]);
  });

  it('writes nothing after dispose', async () => {
    h = await createShellHarness();
    h.kubectl.reply = () => ({ follow: true });
    h.shell.input('kubectl get po -w\r');
    await settle();
    h.shell.dispose();
    await h.shell.whenIdle();
    const before = h.raw();
    h.shell.input('pwd\r');
    await h.shell.whenIdle();
    expect(h.raw()).toBe(before);
    expect(h.kubectl.aborted).toBe(1);
  });
});
