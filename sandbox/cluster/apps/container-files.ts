/**
 * A container's filesystem as its application sees it: the image's files with each volume mount
 * laid over its mount point. A ConfigMap mounted at `/usr/share/nginx/html/` hides the image's
 * whole directory and shows one file per key; with `subPath` only one file is replaced.
 */
import type { ClusterApi } from '../api/cluster-api.ts';
import type { KubeObject } from '../api/objects.ts';
import { RESOURCES } from '../api/resources.ts';
import { type ClusterRuntimeState, subPathKey } from './runtime-state.ts';

/** The files a volume projects, or why it cannot be mounted (the kubelet's FailedMount reason). */
export type VolumeProjection =
  | { ok: true; files: Record<string, string>; sourceVersion: string | undefined }
  | { ok: false; message: string };

/** A ConfigMap or Secret volume source as pod specs carry it. */
interface KeyToPath {
  key: string;
  path: string;
}
interface ObjectVolumeSource {
  name?: string;
  secretName?: string;
  items?: KeyToPath[];
  optional?: boolean;
}

/** Decodes a Secret's base64 values; ConfigMap data is plain text already. */
function dataOf(kind: 'configmap' | 'secret', object: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  const data = (object.data ?? {}) as Record<string, string>;
  for (const [key, value] of Object.entries(data)) {
    out[key] = kind === 'secret' ? Buffer.from(String(value), 'base64').toString('utf8') : String(value);
  }
  if (kind === 'configmap') {
    for (const [key, value] of Object.entries((object.binaryData ?? {}) as Record<string, string>)) {
      out[key] = Buffer.from(String(value), 'base64').toString('latin1');
    }
  } else {
    // The API server folds stringData into data; read it too in case a caller skipped that step.
    for (const [key, value] of Object.entries((object.stringData ?? {}) as Record<string, string>))
      out[key] = String(value);
  }
  return out;
}

/**
 * The files of a ConfigMap or Secret volume, given the object it names (undefined when missing).
 * Keys become files, or only the listed `items` at their `path`s. A missing object or key fails
 * the mount unless the source is `optional`.
 */
export function projectObjectVolume(
  kind: 'configmap' | 'secret',
  source: ObjectVolumeSource,
  object: KubeObject | undefined,
): VolumeProjection {
  const name = kind === 'secret' ? source.secretName : source.name;
  if (!object) {
    if (source.optional) return { ok: true, files: {}, sourceVersion: undefined };
    return { ok: false, message: `${kind} "${name ?? ''}" not found` };
  }
  const data = dataOf(kind, object);
  const files: Record<string, string> = {};
  if (source.items && source.items.length > 0) {
    for (const item of source.items) {
      if (!Object.hasOwn(data, item.key)) {
        if (source.optional) continue;
        const what = kind === 'secret' ? 'secret key' : 'config key';
        return { ok: false, message: `${kind} references non-existent ${what}: ${item.key}` };
      }
      files[item.path] = data[item.key]!;
    }
  } else {
    Object.assign(files, data);
  }
  return { ok: true, files, sourceVersion: object.metadata.resourceVersion };
}

/** A volume of a pod spec. */
export interface PodVolume {
  name: string;
  configMap?: ObjectVolumeSource;
  secret?: ObjectVolumeSource;
  projected?: { sources?: { configMap?: ObjectVolumeSource; secret?: ObjectVolumeSource }[] };
  [other: string]: unknown;
}

/** The ConfigMaps and Secrets a volume reads: `[['configmap', 'vweb-config']]`. */
export function volumeSourcesOf(volume: PodVolume): ['configmap' | 'secret', string][] {
  const out: ['configmap' | 'secret', string][] = [];
  if (volume.configMap?.name) out.push(['configmap', volume.configMap.name]);
  if (volume.secret?.secretName) out.push(['secret', volume.secret.secretName]);
  for (const source of volume.projected?.sources ?? []) {
    if (source.configMap?.name) out.push(['configmap', source.configMap.name]);
    if (source.secret?.name) out.push(['secret', source.secret.name]);
  }
  return out;
}

/**
 * Projects a pod volume from the cluster's current objects. Volumes that carry no files the
 * simulation needs (emptyDir, persistentVolumeClaim, the service account token) project nothing.
 */
export function projectPodVolume(api: ClusterApi, namespace: string, volume: PodVolume): VolumeProjection {
  if (volume.configMap) {
    return projectObjectVolume(
      'configmap',
      volume.configMap,
      api.find(RESOURCES.configmaps, namespace, volume.configMap.name ?? ''),
    );
  }
  if (volume.secret) {
    return projectObjectVolume(
      'secret',
      volume.secret,
      api.find(RESOURCES.secrets, namespace, volume.secret.secretName ?? ''),
    );
  }
  if (volume.projected) {
    const files: Record<string, string> = {};
    const versions: string[] = [];
    for (const source of volume.projected.sources ?? []) {
      let part: VolumeProjection | undefined;
      if (source.configMap)
        part = projectObjectVolume(
          'configmap',
          source.configMap,
          api.find(RESOURCES.configmaps, namespace, source.configMap.name ?? ''),
        );
      else if (source.secret)
        part = projectObjectVolume(
          'secret',
          { ...source.secret, secretName: source.secret.name },
          api.find(RESOURCES.secrets, namespace, source.secret.name ?? ''),
        );
      if (!part) continue;
      if (!part.ok) return part;
      Object.assign(files, part.files);
      versions.push(part.sourceVersion ?? '-');
    }
    return { ok: true, files, sourceVersion: versions.length > 0 ? versions.join(',') : undefined };
  }
  return { ok: true, files: {}, sourceVersion: undefined };
}

/** A volume mount of a container spec. */
export interface VolumeMountSpec {
  name: string;
  mountPath: string;
  subPath?: string;
  readOnly?: boolean;
}

/** What one mount lays over the image: a directory of files, or one file (subPath). */
export type MountedContent =
  | { mountPath: string; files: Readonly<Record<string, string>> }
  | { mountPath: string; file: string };

/** `/usr/share/nginx/html/` → `/usr/share/nginx/html`; `/` stays `/`. */
export function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

function isUnder(path: string, directory: string): boolean {
  return directory === '/' || path === directory || path.startsWith(`${directory}/`);
}

/**
 * Lays mounts over image files, shorter mount paths first so a nested mount wins. A directory
 * mount hides everything the image had below it, as a Linux bind mount does.
 */
export function composeContainerFiles(
  imageFiles: Readonly<Record<string, string>>,
  mounts: readonly MountedContent[],
): Map<string, string> {
  const files = new Map<string, string>(Object.entries(imageFiles).map(([p, c]) => [normalizePath(p), c]));
  const ordered = [...mounts].sort(
    (a, b) => normalizePath(a.mountPath).length - normalizePath(b.mountPath).length,
  );
  for (const mount of ordered) {
    const at = normalizePath(mount.mountPath);
    for (const path of [...files.keys()]) if (isUnder(path, at)) files.delete(path);
    if ('file' in mount) {
      files.set(at, mount.file);
    } else {
      for (const [relative, content] of Object.entries(mount.files))
        files.set(normalizePath(`${at}/${relative}`), content);
    }
  }
  return files;
}

/**
 * The content one mount shows, preferring what the kubelet last synced onto the node (`state`) over
 * the live objects: a ConfigMap edit shows up only after the kubelet's next sync, and a subPath
 * file never changes while the container runs.
 */
export function mountedContentOf(
  api: ClusterApi,
  state: ClusterRuntimeState | undefined,
  pod: KubeObject,
  containerName: string,
  mount: VolumeMountSpec,
): MountedContent | undefined {
  const volume = ((pod.spec?.volumes ?? []) as PodVolume[]).find((v) => v.name === mount.name);
  if (!volume) return undefined;
  const record = state?.pods.get(pod.metadata.uid ?? '');
  if (mount.subPath) {
    const fixed = record?.subPathFiles.get(subPathKey(containerName, mount.mountPath));
    if (fixed !== undefined) return { mountPath: mount.mountPath, file: fixed };
  }
  let files: Readonly<Record<string, string>> | undefined = record?.volumes.get(volume.name)?.files;
  if (!files) {
    const live = projectPodVolume(api, pod.metadata.namespace ?? 'default', volume);
    if (!live.ok) return undefined;
    files = live.files;
  }
  if (mount.subPath) {
    const content = files[normalizePath(mount.subPath).slice(1)];
    return content === undefined ? undefined : { mountPath: mount.mountPath, file: content };
  }
  return { mountPath: mount.mountPath, files };
}

/** The whole filesystem a container sees: image files plus its mounts. */
export function containerFilesOf(
  api: ClusterApi,
  state: ClusterRuntimeState | undefined,
  pod: KubeObject,
  container: { name: string; volumeMounts?: VolumeMountSpec[] },
  imageFiles: Readonly<Record<string, string>>,
): Map<string, string> {
  const mounts: MountedContent[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const content = mountedContentOf(api, state, pod, container.name, mount);
    if (content) mounts.push(content);
  }
  return composeContainerFiles(imageFiles, mounts);
}
