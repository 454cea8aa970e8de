import { describe, expect, it } from 'vitest';
import { type CompletionSources, completeLine, type FolderEntry } from '../../../sandbox/shell/complete.ts';

const NAMES: Record<string, string[]> = {
  deployments: ['vweb', 'todo-web'],
  replicasets: ['vweb-6bd7464487', 'vweb-7c675fdd96'],
  pods: ['vweb-6bd7464487-abcde', 'vweb-6bd7464487-fghij'],
  services: ['vweb'],
  daemonsets: ['todo-proxy'],
  statefulsets: ['todo-db'],
};

const dir = (name: string): FolderEntry => ({ name, isDirectory: true });
const file = (name: string): FolderEntry => ({ name, isDirectory: false });

const FOLDERS: Record<string, FolderEntry[]> = {
  '': [
    dir('vweb'),
    dir('vweb-strategies'),
    dir('vweb-rolling-update'),
    dir('todo-list'),
    dir('lab'),
    file('notes.txt'),
    file('.hidden'),
    file('my notes.txt'),
  ],
  'vweb/': [dir('update'), file('vweb-v1.yaml'), file('vweb-service.yaml')],
  'vweb/update/': [file('vweb-v1-scale.yaml'), file('vweb-v11.yaml'), file('vweb-v2.yaml')],
};

const asked: string[] = [];
const sources: CompletionSources = {
  namespace: 'learner-1',
  async listNames(resource) {
    asked.push(resource);
    return NAMES[resource] ?? [];
  },
  async listFolder(typed) {
    return FOLDERS[typed] ?? [];
  },
};

async function values(line: string, cursor = line.length): Promise<string[]> {
  return (await completeLine(line, cursor, sources)).candidates.map((c) => c.value);
}

describe('completeLine', () => {
  it.each<[string, string[]]>([
    // Commands
    ['ku', ['kubectl']],
    ['wa', ['watch']],
    ['h', ['head', 'help', 'history']],
    ['kubectl get rs | gr', ['grep']],
    ['kubectl get rs | ', ['cat', 'grep', 'head', 'sort', 'tail', 'uniq', 'wc']],
    ['ls && cu', ['curl']],
    ['for i in {1..3}; do cu', ['curl']],
    ['watch -n 2 ku', ['kubectl']],
    ['help wa', ['watch']],
    // kubectl commands and sub-commands (host-reaching ones are never offered)
    ['kubectl ro', ['rollout']],
    ['kubectl r', ['replace', 'rollout', 'run']],
    ['kubectl p', ['patch']],
    ['kubectl -n learner-1 ro', ['rollout']],
    ['kubectl rollout ', ['history', 'pause', 'restart', 'resume', 'status', 'undo']],
    ['kubectl rollout his', ['history']],
    ['kubectl set i', ['image']],
    ['kubectl config ', ['view']],
    ['kubectl proxy ', []],
    // Resource types, then names
    ['kubectl get r', ['replicaset', 'replicasets', 'resourcequota', 'resourcequotas', 'rs']],
    ['kubectl get deploy', ['deploy', 'deployment', 'deployments']],
    ['kubectl get rs ', ['vweb-6bd7464487', 'vweb-7c675fdd96']],
    ['kubectl get rs vweb-7', ['vweb-7c675fdd96']],
    ['kubectl describe deploy/', ['deploy/todo-web', 'deploy/vweb']],
    ['kubectl delete deployment v', ['vweb']],
    ['kubectl get all ', []],
    ['kubectl rollout history d', ['daemonset/', 'deploy/', 'deployment/', 'ds/']],
    ['kubectl rollout history deploy/', ['deploy/todo-web', 'deploy/vweb']],
    ['kubectl rollout undo deploy/v', ['deploy/vweb']],
    ['kubectl rollout status sts/', ['sts/todo-db']],
    ['kubectl rollout status po/', []],
    ['kubectl set image deploy/', ['deploy/todo-web', 'deploy/vweb']],
    ['kubectl set image deploy/vweb ', []],
    ['kubectl explain dep', ['deployment']],
    ['kubectl logs ', ['vweb-6bd7464487-abcde', 'vweb-6bd7464487-fghij']],
    ['kubectl logs -f ', ['vweb-6bd7464487-abcde', 'vweb-6bd7464487-fghij']],
    ['kubectl logs deploy/', ['deploy/todo-web', 'deploy/vweb']],
    ['kubectl exec vweb-6bd7464487-a', ['vweb-6bd7464487-abcde']],
    // Flags and flag values
    ['kubectl get po --sh', ['--show-kind', '--show-labels']],
    ['kubectl rollout undo deploy/vweb --to', ['--to-revision=']],
    [
      'kubectl get deploy vweb -o ',
      ['custom-columns=', 'go-template=', 'json', 'jsonpath-as-json=', 'jsonpath=', 'name', 'wide', 'yaml'],
    ],
    ['kubectl get po -o=y', ['-o=yaml']],
    ['kubectl -n ', ['learner-1']],
    ['kubectl get po --namespace=l', ['--namespace=learner-1']],
    // Files in the workdir
    ['kubectl apply -f vweb/upd', ['vweb/update/']],
    ['kubectl apply -f vw', ['vweb-rolling-update/', 'vweb-strategies/', 'vweb/']],
    ['kubectl apply -f vweb/update/vweb-v1', ['vweb/update/vweb-v1-scale.yaml', 'vweb/update/vweb-v11.yaml']],
    [
      'kubectl apply --filename=vweb/',
      ['--filename=vweb/update/', '--filename=vweb/vweb-service.yaml', '--filename=vweb/vweb-v1.yaml'],
    ],
    ['kubectl apply -k ', ['lab/', 'todo-list/', 'vweb-rolling-update/', 'vweb-strategies/', 'vweb/']],
    ['cd v', ['vweb-rolling-update/', 'vweb-strategies/', 'vweb/']],
    ['cat vweb/vweb-v', ['vweb/vweb-v1.yaml']],
    ['grep image vweb/vweb-v', ['vweb/vweb-v1.yaml']],
    ['ls .h', ['.hidden']],
    ['ls n', ['notes.txt']],
    ['ls my', ['my\\ notes.txt']],
    ['cat "vweb/up', ['vweb/update/']],
    ['ls nowhere/', []],
    ['curl --s', ['--show-error', '--silent']],
    ['echo ', []],
  ])('%j → %j', async (line, expected) => {
    expect(await values(line)).toEqual(expected);
  });

  it('replaces the word under the cursor and says what to add after a single candidate', async () => {
    expect(await completeLine('kubectl ro', 10, sources)).toEqual({
      from: 8,
      to: 10,
      candidates: [{ value: 'rollout', display: 'rollout', suffix: ' ' }],
    });
    expect(await completeLine('cd vweb/upd', 11, sources)).toEqual({
      from: 3,
      to: 11,
      candidates: [{ value: 'vweb/update/', display: 'update/', suffix: '' }],
    });
    expect(await completeLine('kubectl get rs ', 15, sources)).toMatchObject({ from: 15, to: 15 });
  });

  it('completes where the cursor is, ignoring what follows it', async () => {
    expect(await values('kubectl ro deploy/vweb', 10)).toEqual(['rollout']);
  });

  it('looks up names by their plural resource', async () => {
    asked.length = 0;
    await values('kubectl get svc ');
    await values('kubectl get po/');
    expect(asked).toEqual(['services', 'pods']);
  });

  it('offers nothing, and does not throw, when a lookup fails', async () => {
    const failing: CompletionSources = {
      namespace: 'x',
      listNames: () => Promise.reject(new Error('cluster unreachable')),
      listFolder: () => Promise.reject(new Error('gone')),
    };
    expect(await completeLine('kubectl get rs ', 15, failing)).toEqual({ from: 15, to: 15, candidates: [] });
    expect(await completeLine('cat v', 5, failing)).toEqual({ from: 4, to: 5, candidates: [] });
  });
});
