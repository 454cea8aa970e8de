import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, startLab } from '../support/lab.ts';

describe('real kubectl against the embedded API server', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('reports server version v1.32', async () => {
    const result = await lab.kubectl('version -o json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).serverVersion.gitVersion).toBe('v1.32.0');
  });

  it('knows short names and the all category from discovery', async () => {
    const result = await lab.kubectl('api-resources --categories=all -o name');
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toEqual(
      expect.arrayContaining(['pods', 'services', 'deployments.apps', 'replicasets.apps']),
    );
    expect((await lab.kubectl('get rs')).stderr).toBe('No resources found in default namespace.\n');
  });

  it('says NotFound like a real cluster', async () => {
    const result = await lab.kubectl('get deploy vweb');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('Error from server (NotFound): deployments.apps "vweb" not found\n');
  });
});
