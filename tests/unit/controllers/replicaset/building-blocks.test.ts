import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../sandbox/cluster/api/objects.ts';
import { parseLabelSelector } from '../../../../sandbox/cluster/api/selectors.ts';
import { createManualClock } from '../../../../sandbox/cluster/clock.ts';
import { claimObjects } from '../../../../sandbox/cluster/controllers/shared/controller-ref.ts';
import { ControllerExpectations } from '../../../../sandbox/cluster/controllers/shared/expectations.ts';
import {
  computeHash,
  equalIgnoreHash,
  fnv32a,
  safeEncodeString,
} from '../../../../sandbox/cluster/controllers/shared/pod-template-hash.ts';
import { slowStartBatch } from '../../../../sandbox/cluster/controllers/shared/slow-start.ts';

describe('slowStartBatch', () => {
  it.each([
    { count: 5, failAt: [], batches: [1, 2, 2], successes: 5 },
    { count: 10, failAt: [], batches: [1, 2, 4, 3], successes: 10 },
    { count: 10, failAt: [3], batches: [1, 2], successes: 2 },
    { count: 10, failAt: [1], batches: [1], successes: 0 },
    { count: 0, failAt: [], batches: [], successes: 0 },
  ])('$count calls failing at $failAt: batches $batches', ({ count, failAt, batches, successes }) => {
    let call = 0;
    const result = slowStartBatch(count, 1, () => {
      call++;
      if ((failAt as number[]).includes(call)) throw new Error(`call ${call} refused`);
    });
    expect(call).toBe(batches.reduce((a, b) => a + b, 0));
    expect(result.successes).toBe(successes);
    expect(result.error === undefined).toBe(failAt.length === 0);
  });
});

describe('ControllerExpectations', () => {
  it('are satisfied once every creation and deletion was observed, or after five minutes', () => {
    const clock = createManualClock(0);
    const e = new ControllerExpectations(clock);
    expect(e.satisfiedExpectations('ns/rs')).toBe(true);
    e.expectCreations('ns/rs', 2);
    e.creationObserved('ns/rs');
    expect(e.satisfiedExpectations('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfiedExpectations('ns/rs')).toBe(true);

    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/a');
    expect(e.pending('ns/rs')).toEqual({ add: 0, del: 1 });
    expect(e.satisfiedExpectations('ns/rs')).toBe(false);
    clock.advance(5 * 60 * 1000 + 1);
    expect(e.satisfiedExpectations('ns/rs')).toBe(true);
  });
});

describe('claimObjects', () => {
  const owner: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'ns', uid: 'me' },
  };
  const object = (
    name: string,
    labels: Record<string, string>,
    controller?: string,
    extra: Partial<KubeObject['metadata']> = {},
  ): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'ns',
      labels,
      ownerReferences: controller
        ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: controller, uid: controller, controller: true }]
        : undefined,
      ...extra,
    },
  });

  it('keeps its own, adopts matching orphans, releases strays and leaves others’ alone', () => {
    const adopted: string[] = [];
    const released: string[] = [];
    const { claimed, errors } = claimObjects(
      [
        object('mine', { app: 'web' }, 'me'),
        object('orphan', { app: 'web' }),
        object('stray', { app: 'db' }, 'me'),
        object('theirs', { app: 'web' }, 'other'),
        object('unrelated', { app: 'db' }),
        object('dying-orphan', { app: 'web' }, undefined, { deletionTimestamp: '2026-01-01T00:00:00Z' }),
      ],
      {
        owner,
        selector: parseLabelSelector('app=web'),
        canAdopt: () => {},
        adopt: (o) => {
          adopted.push(o.metadata.name!);
          return o;
        },
        release: (o) => {
          released.push(o.metadata.name!);
        },
      },
    );
    expect(claimed.map((o) => o.metadata.name)).toEqual(['mine', 'orphan']);
    expect(adopted).toEqual(['orphan']);
    expect(released).toEqual(['stray']);
    expect(errors).toEqual([]);
  });

  it('adopts nothing when the owner turns out to be gone', () => {
    const { claimed, errors } = claimObjects([object('orphan', { app: 'web' })], {
      owner,
      selector: parseLabelSelector('app=web'),
      canAdopt: () => {
        throw new Error('original ReplicaSet ns/web is gone');
      },
      adopt: (o) => o,
      release: () => {},
    });
    expect(claimed).toEqual([]);
    expect(String(errors[0])).toContain('is gone');
  });
});

describe('pod-template-hash', () => {
  const template = {
    metadata: { labels: { app: 'vweb', version: 'v1' } },
    spec: { containers: [{ name: 'web', image: 'kiamol/ch09-vweb:v1' }] },
  };

  it('is FNV-32a (known vectors)', () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(fnv32a(bytes(''))).toBe(0x811c9dc5);
    expect(fnv32a(bytes('a'))).toBe(0xe40c292c);
    expect(fnv32a(bytes('foobar'))).toBe(0xbf9cf968);
  });

  it('encodes decimal digits into the safe alphabet, as in vweb-6bd7464487', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
    expect(computeHash(template)).toMatch(/^[456789bcdf]{1,10}$/);
  });

  it('is stable under key order and nulls, and changes with the template or the collision count', () => {
    const reordered = {
      spec: { containers: [{ image: 'kiamol/ch09-vweb:v1', name: 'web' }] },
      metadata: { creationTimestamp: null, labels: { version: 'v1', app: 'vweb' } },
    };
    expect(computeHash(reordered as never)).toBe(computeHash(template));
    expect(computeHash({ ...template, metadata: { labels: { app: 'vweb', version: 'v1.1' } } })).not.toBe(
      computeHash(template),
    );
    expect(computeHash(template, 1)).not.toBe(computeHash(template));
    expect(computeHash(template, 1)).not.toBe(computeHash(template, 2));
  });

  it('compares templates ignoring the pod-template-hash label', () => {
    const labelled = {
      ...template,
      metadata: { labels: { ...template.metadata.labels, 'pod-template-hash': '6bd7464487' } },
    };
    expect(equalIgnoreHash(labelled, template)).toBe(true);
    expect(
      equalIgnoreHash(labelled, { ...template, metadata: { labels: { app: 'vweb', version: 'v2' } } }),
    ).toBe(false);
  });
});
