import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../sandbox/cluster/api/objects.ts';
import { RESOURCES } from '../../../sandbox/cluster/api/resources.ts';
import { handleHttp } from '../../../sandbox/cluster/apps/http.ts';
import { createPod, type Harness, podManifest, startHarness } from '../nodes/cluster-harness.ts';

const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.stop();
});

function vwebConfig(h: Harness, text: string): void {
  const existing = h.cp.api.find(RESOURCES.configmaps, 'default', 'vweb-config');
  const configMap: KubeObject = existing
    ? { ...structuredClone(existing), data: { 'v.txt': text } }
    : {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'vweb-config', namespace: 'default' },
        data: { 'v.txt': text },
      };
  if (existing) h.cp.api.update(RESOURCES.configmaps, 'default', configMap);
  else h.cp.api.create(RESOURCES.configmaps, 'default', configMap);
}

/** vweb-v3-with-configMap's pod: image v2 with the ConfigMap over nginx's document root, plus a subPath copy. */
function vwebV3Pod(): KubeObject {
  return podManifest(
    'vweb-v3',
    {
      containers: [
        {
          name: 'web',
          image: 'kiamol/ch09-vweb:v2',
          ports: [{ name: 'http', containerPort: 80 }],
          volumeMounts: [
            { name: 'config', mountPath: '/usr/share/nginx/html/', readOnly: true },
            { name: 'config', mountPath: '/usr/share/nginx/html/pinned/v.txt', subPath: 'v.txt' },
          ],
        },
      ],
      volumes: [{ name: 'config', configMap: { name: 'vweb-config' } }],
    },
    { app: 'vweb', version: 'v3' },
  );
}

async function startWithVweb(options: Parameters<typeof startHarness>[0] = {}) {
  const h = await startHarness(options);
  harnesses.push(h);
  vwebConfig(h, 'v3-from-config');
  createPod(h, vwebV3Pod());
  await h.advanceUntil(() => h.pod('vweb-v3')?.status?.containerStatuses?.[0]?.ready === true);
  const curl = (path = '/v.txt') => handleHttp(h.cp.api, h.pod('vweb-v3')!, 80, { method: 'GET', path }).body;
  return { h, curl };
}

describe('a ConfigMap mounted into a running pod', () => {
  it('is served, and an edit shows up after the kubelet sync delay without a restart', async () => {
    const { h, curl } = await startWithVweb();
    expect(curl()).toBe('v3-from-config');
    const before = h.pod('vweb-v3')!;
    const containerID = before.status.containerStatuses[0].containerID;

    vwebConfig(h, 'v3.1');
    await h.advance(10_000, 500);
    // The kubelet has not synced yet: the node still holds the old files.
    expect(curl()).toBe('v3-from-config');
    await h.advance(21_000, 500);
    expect(curl()).toBe('v3.1');

    const after = h.pod('vweb-v3')!;
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.status.containerStatuses[0]).toMatchObject({ restartCount: 0, containerID, ready: true });
    // A subPath mount is copied when the container starts and never follows edits.
    expect(curl('/pinned/v.txt')).toBe('v3-from-config');
  });

  it('follows the configured sync delay', async () => {
    const { h, curl } = await startWithVweb({ delays: { volumeSync: [60_000, 60_000] } });
    vwebConfig(h, 'v3.1');
    await h.advance(45_000, 1_000);
    expect(curl()).toBe('v3-from-config');
    await h.advance(16_000, 1_000);
    expect(curl()).toBe('v3.1');
  });
});
