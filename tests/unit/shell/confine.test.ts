import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confineKubectl, type KubectlVerdict, type RefusalRule } from '../../../sandbox/shell/confine.ts';
import { WorkspaceError } from '../../../sandbox/shell/errors.ts';
import type { Workspace } from '../../../sandbox/shell/services.ts';
import { createTestWorkdir, type TestWorkdir } from './harness.ts';

let workdir: TestWorkdir;
beforeAll(async () => {
  workdir = await createTestWorkdir();
});
afterAll(async () => {
  await workdir.remove();
});

/** Splits on spaces: the cases below never need quoting. */
function words(line: string): string[] {
  return line.split(' ').filter((w) => w !== '');
}

function confine(line: string, cwd = ''): Promise<KubectlVerdict> {
  return confineKubectl(words(line), {
    workspace: workdir.workspace,
    cwd: cwd === '' ? workdir.root : `${workdir.root}/${cwd}`,
  });
}

describe('confineKubectl lets the chapter run', () => {
  it.each([
    'apply -f vweb/',
    'apply -f vweb',
    'get rs -l app=vweb',
    'apply -f vweb/update/vweb-v1-scale.yaml',
    'rollout history deploy/vweb',
    'set image deployment/vweb web=kiamol/ch09-vweb:v2',
    'apply -f vweb/update/vweb-v11.yaml',
    'get rs -l app=vweb --show-labels',
    'get po -l app=vweb --show-labels',
    'apply -f vweb/update/vweb-v2.yaml --record',
    'get rs -l app=vweb -o=custom-columns=NAME:.metadata.name,REPLICAS:.status.replicas',
    'rollout undo deploy/vweb --dry-run=client',
    'rollout undo deploy/vweb --to-revision=2',
    'delete deploy vweb',
    'describe deploy vweb',
    'rollout status deploy/vweb --timeout=2s',
    'get rs -l app=vweb --watch',
    'apply -f todo-list/db/ -f vweb/ -f lab/v1/',
    'get po -l app=todo-db -o=custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image',
    'rollout status statefulset/todo-db',
    'delete all -l kiamol=ch09',
    'apply -f lab/v1/vweb-service-v1.yaml',
    // Spellings and neighbours that are fine.
    '-n learner-1 get pods',
    '--namespace=learner-1 get pods',
    '-v=6 get pods',
    '--request-timeout 5s get pods',
    'get po -ns',
    'get po -lversion=v1',
    'get po -owide',
    'apply -Rf vweb',
    'apply -f=vweb/vweb-v1.yaml',
    'apply --filename=vweb/vweb-v1.yaml,vweb/vweb-service.yaml',
    'apply -f links/v1.yaml',
    'apply -f ./vweb/../vweb/vweb-v1.yaml',
    'logs -f deploy/vweb',
    'logs -p -c web deploy/vweb',
    'exec deploy/vweb -- cat /usr/share/nginx/html/v.txt',
    'exec deploy/vweb -- curl -s localhost',
    'config view',
    'config view -o yaml --minify',
    'version --client',
    'api-resources',
    'explain deployment.spec.strategy',
    'create configmap cfg --from-file=v.txt=notes.txt',
    'create configmap cfg --from-literal=a=b',
    'create cm cfg --from-literal=a=b',
    'create deploy web --image=nginx --dry-run=client -o yaml',
    'create -f vweb/vweb-v1.yaml',
    'create secret generic s --from-literal=a=b',
    'kustomize vweb',
    'help',
    '',
    'completion bash',
    'auth can-i get pods',
    'get po -o go-template={{.metadata.name}}',
    'get --raw /api',
  ])('kubectl %s', async (line) => {
    expect(await confine(line)).toEqual({ kind: 'run', args: words(line) });
  });

  it('resolves relative paths against the working folder', async () => {
    expect((await confine('apply -f vweb-v2.yaml', 'vweb/update')).kind).toBe('run');
    expect((await confine('apply -f ../vweb-v1.yaml', 'vweb/update')).kind).toBe('run');
    expect((await confine('apply -f vweb-v2.yaml')).kind).toBe('refuse');
  });

  it('hands kubectl edit to the editor instead of running it', async () => {
    expect(await confine('edit deploy/vweb')).toEqual({ kind: 'edit', args: ['deploy/vweb'] });
    expect(await confine('-n learner-1 edit -f vweb/vweb-v1.yaml')).toEqual({
      kind: 'edit',
      args: ['-f', 'vweb/vweb-v1.yaml'],
    });
    expect((await confine('edit -f links/passwd.yaml')).kind).toBe('refuse');
  });
});

describe('confineKubectl refuses target, identity and host-file flags in every spelling', () => {
  it.each<[string, RefusalRule, string]>([
    ['--kubeconfig=/etc/kubernetes/admin.conf get po', 'target-flag', '--kubeconfig'],
    ['get po --kubeconfig /etc/kubernetes/admin.conf', 'target-flag', '--kubeconfig'],
    ['get po --kubeconfig', 'target-flag', '--kubeconfig'],
    ['-s https://evil get po', 'target-flag', '-s'],
    ['get po -shttps://x', 'target-flag', '-s'],
    ['get po -s=https://x', 'target-flag', '-s'],
    ['get po -As https://x', 'target-flag', '-s'],
    ['get po -wAs https://x', 'target-flag', '-s'],
    ['get po --server=https://x', 'target-flag', '--server'],
    ['get po --server https://x', 'target-flag', '--server'],
    ['get po --context=other', 'target-flag', '--context'],
    ['get po --cluster other', 'target-flag', '--cluster'],
    ['get po --insecure-skip-tls-verify', 'target-flag', '--insecure-skip-tls-verify'],
    ['get po --insecure_skip_tls_verify=true', 'target-flag', '--insecure-skip-tls-verify'],
    ['get po --certificate-authority=/x', 'target-flag', '--certificate-authority'],
    ['get po --tls-server-name=x', 'target-flag', '--tls-server-name'],
    ['get po --kuberc=/x', 'target-flag', '--kuberc'],
    ['get po --token abc', 'identity-flag', '--token'],
    ['get po --token=abc', 'identity-flag', '--token'],
    ['get po --as=system:admin', 'identity-flag', '--as'],
    ['get po --as-group=system:masters', 'identity-flag', '--as-group'],
    ['get po --as-uid=0', 'identity-flag', '--as-uid'],
    ['get po --user=admin', 'identity-flag', '--user'],
    ['get po --username=admin --password=x', 'identity-flag', '--username'],
    ['get po --client-certificate=/x', 'identity-flag', '--client-certificate'],
    ['get po --client-key=/x', 'identity-flag', '--client-key'],
    ['get po --cache-dir=/tmp/x', 'host-file-flag', '--cache-dir'],
    ['get po --profile=cpu', 'host-file-flag', '--profile'],
    ['get po --profile-output=/tmp/p', 'host-file-flag', '--profile-output'],
    ['get po --log-file=/tmp/l', 'host-file-flag', '--log-file'],
    ['get po --log_dir=/tmp', 'host-file-flag', '--log-dir'],
    // After `--` kubectl reads words as arguments, but the flag is refused all the same.
    ['get po -- --kubeconfig=/x', 'target-flag', '--kubeconfig'],
    ['get po -- -s x', 'target-flag', '-s'],
    ['exec deploy/vweb -- env --token=x', 'identity-flag', '--token'],
    // A forbidden flag in a value position is refused too: better than guessing arity wrong.
    ['get po -l --token', 'identity-flag', '--token'],
  ])('kubectl %s → %s', async (line, rule, flag) => {
    const verdict = await confine(line);
    expect(verdict.kind).toBe('refuse');
    if (verdict.kind !== 'refuse') return;
    expect(verdict.rule).toBe(rule);
    expect(verdict.message).toContain(flag);
    expect(verdict.instead.length).toBeGreaterThan(20);
  });

  it('refuses --kube_config only because kubectl would read it as --kube-config, which is not a kubectl flag', async () => {
    // pflag turns underscores into dashes: --kube_config is --kube-config, an unknown flag, not
    // --kubeconfig; it reaches kubectl, which rejects it. The refused spelling is --kubeconfig.
    const verdict = await confine('get po --kube_config=/x');
    expect(verdict.kind).toBe('run');
  });
});

describe('confineKubectl refuses commands that reach the host', () => {
  it.each<[string, RefusalRule]>([
    ['proxy', 'host-command'],
    ['proxy --port=8001', 'host-command'],
    ['port-forward svc/vweb 8090:8090', 'host-command'],
    ['port-forward deploy/vweb 8080:80', 'host-command'],
    ['cp vweb-abc:/etc/passwd ./x', 'host-command'],
    ['plugin list', 'host-command'],
    ['debug -it vweb-abc --image=busybox', 'interactive'],
    ['debug node/x --image=busybox', 'host-command'],
    ['attach vweb-abc', 'host-command'],
    ['alpha events', 'host-command'],
    ['krew install x', 'unknown-command'],
    // kubectl 1.30+ would run a plugin kubectl-create-foo from PATH.
    ['create foo', 'unknown-command'],
    ['create foo -o yaml', 'unknown-command'],
    ['evilplugin', 'unknown-command'],
    ['config use-context other', 'config'],
    ['config set-context --current --namespace=x', 'config'],
    ['config set-credentials x --token=y', 'identity-flag'],
    ['config current-context', 'config'],
    ['config view use-context', 'config'],
    ['config', 'config'],
    ['cluster-info dump --output-directory=/tmp/x', 'host-command'],
    ['apply edit-last-applied deploy/vweb', 'editor-flag'],
    ['create -f vweb/vweb-v1.yaml --edit', 'editor-flag'],
    ['exec -it deploy/vweb -- sh', 'interactive'],
    ['exec deploy/vweb -i -- sh', 'interactive'],
    ['exec deploy/vweb --stdin --tty -- sh', 'interactive'],
    ['run x --image=busybox -it --rm', 'interactive'],
    ['run x --image=busybox --privileged', 'privileged'],
    ['delete po --all -i', 'interactive'],
    ['kustomize vweb --enable-helm --helm-command=/bin/sh', 'kustomize-option'],
    ['kustomize vweb -o /tmp/out.yaml', 'kustomize-option'],
    ['kustomize vweb --load-restrictor=LoadRestrictionsNone', 'kustomize-option'],
    ['--foo get proxy', 'flag-before-command'],
    ['--match-server-version=x --x get', 'flag-before-command'],
    ['-- proxy', 'flag-before-command'],
    ['-f vweb/ apply', 'flag-before-command'],
  ])('kubectl %s → %s', async (line, rule) => {
    const verdict = await confine(line);
    expect(verdict).toMatchObject({ kind: 'refuse', rule });
  });

  it('names the way forward for each host command', async () => {
    const verdict = await confine('port-forward svc/vweb 8090:8090');
    if (verdict.kind !== 'refuse') throw new Error('expected a refusal');
    expect(verdict.message).toContain('port-forward');
    expect(verdict.instead).toContain('curl');
  });
});

describe('confineKubectl keeps file arguments inside the workdir', () => {
  it.each<[string, RefusalRule]>([
    ['apply -f /etc/passwd', 'file-outside'],
    ['apply -f ../../x', 'file-outside'],
    ['apply -f vweb/../../..', 'file-outside'],
    ['apply -f ../outside/secret.yaml', 'file-outside'],
    ['apply -f vweb/../../outside/secret.yaml', 'file-outside'],
    ['apply -f links/passwd.yaml', 'file-outside'],
    ['apply -f links/etc/passwd', 'file-outside'],
    ['apply -f links/etc', 'file-outside'],
    ['apply -f links/', 'symlink-outside'],
    ['apply -f .', 'symlink-outside'],
    ['apply -R -f .', 'symlink-outside'],
    ['apply -f vweb/vweb-v1.yaml,/etc/passwd', 'file-outside'],
    ['apply --filename=/etc/passwd', 'file-outside'],
    ['apply --filename /etc/passwd', 'file-outside'],
    ['apply -f/etc/passwd', 'file-outside'],
    ['apply -f=/etc/passwd', 'file-outside'],
    ['apply -Rf /etc', 'file-outside'],
    ['apply -k /etc', 'file-outside'],
    ['apply -k links', 'symlink-outside'],
    ['apply --kustomize=../outside', 'file-outside'],
    ['apply -k vweb/vweb-v1.yaml', 'file-missing'],
    ['apply -k github.com/kubernetes-sigs/kustomize//examples/helloWorld', 'file-url'],
    ['kustomize /etc', 'file-outside'],
    ['kustomize https://github.com/x/y', 'file-url'],
    ['kustomize', 'symlink-outside'],
    ['apply -f http://evil/x.yaml', 'file-url'],
    ['apply -f https://raw.githubusercontent.com/x/y.yaml', 'file-url'],
    ['apply -f HTTP://evil/x.yaml', 'file-url'],
    ['apply -f -', 'file-stdin'],
    ['apply -f vweb/nope.yaml', 'file-missing'],
    ['create configmap x --from-file=/etc/passwd', 'file-outside'],
    ['create configmap x --from-file=key=/etc/shadow', 'file-outside'],
    ['create configmap x --from-file=a=notes.txt,b=links/passwd.yaml', 'file-outside'],
    ['create configmap x --from-env-file=/proc/self/environ', 'file-outside'],
    ['create secret tls x --cert=/etc/ssl/private/key.pem --key=x', 'file-outside'],
    ['patch deploy vweb --patch-file=/etc/passwd', 'file-outside'],
    ['get po -o jsonpath-file=/etc/passwd', 'file-outside'],
    ['get po -ojsonpath-file=/etc/passwd', 'file-outside'],
    ['get po --output=go-template-file=/etc/passwd', 'file-outside'],
    ['get po -o custom-columns-file=../outside/secret.yaml', 'file-outside'],
    ['get po -o go-template-file --template=/etc/passwd', 'file-outside'],
    ['get po --template=/etc/passwd -o templatefile', 'file-outside'],
    ['apply -f "/etc/passwd"', 'file-name'],
    ['apply -f \u2014/etc', 'lookalike-dash'],
    ['get po \u2013\u2013kubeconfig=x', 'lookalike-dash'],
  ])('kubectl %s → %s', async (line, rule) => {
    const verdict = await confine(line);
    expect(verdict).toMatchObject({ kind: 'refuse', rule });
  });

  it('does not reveal whether a path outside exists', async () => {
    const missing = await confine('apply -f /etc/no-such-file');
    const present = await confine('apply -f /etc/passwd');
    expect(missing).toMatchObject({ kind: 'refuse', rule: 'file-outside' });
    expect(present).toMatchObject({ kind: 'refuse', rule: 'file-outside' });
  });

  it('follows links as the kernel does, not as the text reads', async () => {
    // As text, links/etc/../v1.yaml is links/v1.yaml, a file inside. But links/etc is /etc, so
    // the kernel opens /v1.yaml: realpath on the path as typed finds that out.
    expect(await confine('apply -f links/etc/../v1.yaml')).toMatchObject({
      kind: 'refuse',
      rule: 'file-missing',
    });
    expect(await confine('apply -f links/etc/../etc/passwd')).toMatchObject({
      kind: 'refuse',
      rule: 'file-outside',
    });
    expect(await confine('apply -f links/v1.yaml')).toMatchObject({ kind: 'run' });
  });

  it('asks the injected workspace, and trusts its EOUTSIDE', async () => {
    const asked: string[] = [];
    const workspace: Pick<Workspace, 'root' | 'realpath' | 'stat' | 'readdir'> = {
      root: '/work/ch09',
      async realpath(path) {
        asked.push(path);
        if (path.includes('sneaky')) throw new WorkspaceError('EOUTSIDE', path, 'outside');
        return path.replace('/./', '/');
      },
      stat: async () => ({ kind: 'file', size: 1, mtimeMs: 0 }),
      readdir: async () => [],
    };
    expect(
      await confineKubectl(['apply', '-f', 'sneaky.yaml'], { workspace, cwd: '/work/ch09' }),
    ).toMatchObject({ rule: 'file-outside' });
    expect(await confineKubectl(['apply', '-f', './ok.yaml'], { workspace, cwd: '/work/ch09' })).toEqual({
      kind: 'run',
      args: ['apply', '-f', './ok.yaml'],
    });
    // /etc/passwd never reaches realpath: the textual check stops it first.
    expect(
      await confineKubectl(['apply', '-f', '/etc/passwd'], { workspace, cwd: '/work/ch09' }),
    ).toMatchObject({ rule: 'file-outside' });
    expect(asked).toEqual(['/work/ch09/sneaky.yaml', '/work/ch09/./ok.yaml']);
  });
});
