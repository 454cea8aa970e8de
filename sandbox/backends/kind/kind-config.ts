/**
 * The kind cluster configuration file and the chapter's image list: pure functions, so the dry-run
 * transcript and the tests see exactly what `kind create cluster --config` gets.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** The kind cluster name when KIND_CLUSTER_NAME is unset. */
export const DEFAULT_KIND_CLUSTER_NAME = 'rollout-lab';

/** What shapes the cluster. */
export interface KindClusterShape {
  /** One control-plane node plus `nodes - 1` workers. */
  nodes: number;
  /** kindest/node image, e.g. `kindest/node:v1.32.2`; kind's default when absent. */
  nodeImage?: string;
}

/**
 * Renders the `kind.x-k8s.io/v1alpha4` Cluster config. Example: `{ nodes: 2 }` gives a control
 * plane and one worker, so the chapter's DaemonSet shows one Pod per node.
 */
export function renderKindConfig(shape: KindClusterShape): string {
  const node = (role: string): Record<string, string> =>
    shape.nodeImage ? { role, image: shape.nodeImage } : { role };
  const nodes = [node('control-plane')];
  for (let i = 1; i < shape.nodes; i++) nodes.push(node('worker'));
  return `# Written by Rollout Lab for \`kind create cluster --config\`.\n${stringify({
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    nodes,
  })}`;
}

/** The images named in manifest text (`image: kiamol/ch09-vweb:v1`), in order of appearance. */
export function findImagesInManifest(text: string): string[] {
  const images: string[] = [];
  for (const match of text.matchAll(/^\s*(?:-\s+)?image:\s*["']?([^\s"'#]+)/gm)) images.push(match[1]!);
  return images;
}

/** Every image the chapter's exercise files use, sorted and without repeats. */
export function listChapterImages(exercisesDir: string): string[] {
  const images = new Set<string>();
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile() && /\.ya?ml$/.test(entry.name))
        for (const image of findImagesInManifest(readFileSync(path, 'utf8'))) images.add(image);
    }
  };
  visit(exercisesDir);
  return [...images].sort();
}
