/**
 * KUBE_EDITOR when the editor's path has a space: kubectl then hands the value to `$SHELL -c`
 * instead of splitting it on spaces, so `formatKubeEditor` single-quotes the words and the run
 * sets SHELL=/bin/sh. Checked with the real kubectl (the newest installed and 1.27) against the
 * embedded cluster, with the session's own pieces: the editor bridge, a broker, createOpenEditor.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../../sandbox/cluster/clock.ts';
import { type EditChannel, startEditChannel } from '../../../sandbox/editor-bridge/channel.ts';
import { EditBroker } from '../../../sandbox/server/edit-broker.ts';
import { createOpenEditor, EDITOR_PROGRAM, formatKubeEditor } from '../../../sandbox/server/kubectl-edit.ts';
import type { ServerMessage } from '../../../src/protocol/index.ts';
import { installedKubectls } from '../../support/kubectl.ts';
import { EXERCISES_DIR, type Lab, startLab } from '../../support/lab.ts';

const installed = installedKubectls();
const versions = [...new Set([installed.at(-1), installed.find((k) => k.version === '1.27')])].filter(
  (k): k is { version: string; path: string } => k !== undefined,
);

describe.skipIf(versions.length === 0).each(versions)(
  'kubectl $version with a quoted KUBE_EDITOR',
  (kubectl) => {
    let lab: Lab;
    let channel: EditChannel;
    let dir: string;

    beforeAll(async () => {
      lab = await startLab({ kubectlVersion: kubectl.version });
      expect((await lab.kubectl('apply -f vweb/')).code).toBe(0);
      channel = await startEditChannel();
      dir = mkdtempSync(join(tmpdir(), 'rl-quoted-'));
    });

    afterAll(async () => {
      await channel?.close();
      await lab?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('edits through an editor whose path has a space', async () => {
      const spaced = join(dir, 'node dir');
      mkdirSync(spaced);
      symlinkSync(process.execPath, join(spaced, 'node'));
      const editorCommand = [join(spaced, 'node'), EDITOR_PROGRAM];
      expect(formatKubeEditor(editorCommand)).toMatch(/^'.* dir\/node' '/);

      const kubeconfigPath = join(dir, 'kubeconfig');
      writeFileSync(kubeconfigPath, lab.cluster.adminKubeconfig('default'));
      const opened: ServerMessage[] = [];
      const broker: EditBroker = new EditBroker({
        clock: createManualClock(),
        send: (message) => {
          opened.push(message);
          // The learner saves at once, with one more replica.
          if (message.type === 'edit')
            queueMicrotask(() =>
              broker.answer(message.editId, {
                action: 'save',
                content: message.content.replace(/^ {2}replicas: 2$/m, '  replicas: 4'),
              }),
            );
        },
      });
      const openEditor = createOpenEditor({
        runner: { binary: kubectl.path, kubeconfigPath, cacheDir: join(dir, 'cache') },
        channel,
        broker,
        timeoutMs: 60_000,
        editorCommand,
      });
      let output = '';
      const status = await openEditor(
        { args: ['edit', 'deploy/vweb'], target: ['deploy/vweb'] },
        {
          cwd: EXERCISES_DIR,
          signal: new AbortController().signal,
          columns: 100,
          onOutput: (chunk) => {
            output += chunk;
          },
        },
      );
      expect(output).toContain('deployment.apps/vweb edited');
      expect(status).toBe(0);
      expect(opened.map((m) => m.type)).toEqual(['edit', 'edit-ended']);
      expect(opened[0]).toMatchObject({ title: 'deployment/vweb', reopened: false });
      const replicas = await lab.kubectl('get deploy vweb -o jsonpath={.spec.replicas}');
      expect(replicas.stdout).toBe('4');
    });
  },
);
