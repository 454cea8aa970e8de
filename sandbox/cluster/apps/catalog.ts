/**
 * The image catalog: what each image the sandbox can "pull" does once it runs. The simulated
 * kubelet asks it whether a pull succeeds, how big the image is, what the container's process
 * does (serve, sleep, exit) and which files it carries; the simulated apps answer HTTP from it.
 *
 * Only data lives here, plus the lookups that read it. An image that is not listed does not exist:
 * pulling it fails as a registry would (`not found` for an unknown tag of a known repository,
 * `pull access denied` for an unknown repository).
 */
import { createHash } from 'node:crypto';
import { NGINX_50X_PAGE, NGINX_WELCOME_PAGE, renderVersionPage } from './app-pages.ts';
import { type ImageRef, parseImageRef, repositoryOf } from './image-ref.ts';

/** The kinds of application the catalog's images run. */
export type AppKind =
  /** nginx serving files from `/usr/share/nginx/html`, or proxying when its config says so. */
  | 'nginx'
  /** The kiamol to-do list web app (.NET), answering HTTP on 80. */
  | 'todo-web'
  /** PostgreSQL, listening on 5432 (no HTTP). */
  | 'postgres'
  /** An image whose default command sleeps forever (kiamol/ch03-sleep). */
  | 'sleep'
  /** A bare shell image (busybox, alpine): without a command, `sh` exits at once. */
  | 'shell'
  /** An image whose command does not exist: the process exits at start. */
  | 'command-not-found'
  /** The pause image: sleeps, stops at once on SIGTERM. */
  | 'pause';

/** One network port an application listens on. */
export interface ListeningPort {
  port: number;
  /** `http` answers requests; `tcp` accepts connections but speaks something else (PostgreSQL). */
  protocol: 'http' | 'tcp';
}

/** What an application's main process does after it starts. */
export type ProcessBehaviour =
  | { kind: 'serve' }
  | { kind: 'sleep' }
  | {
      kind: 'exit';
      exitCode: number;
      /** How long it runs before exiting, in simulated ms (a range, jittered). */
      runMs: readonly [number, number];
      /** What it prints before exiting. */
      output: readonly string[];
    };

/** How an application reacts to SIGTERM when its pod is deleted. */
export type StopBehaviour =
  | { kind: 'graceful'; ms: number; exitCode: number }
  /** PID 1 without a SIGTERM handler (sleep, sh): killed when the grace period ends, exit 137. */
  | { kind: 'ignores-sigterm' };

/** The behaviour shared by every image of an application kind. */
export interface AppBehaviour {
  ports: readonly ListeningPort[];
  process: ProcessBehaviour;
  stop: StopBehaviour;
  /** Whether the image has /bin/sh, so a `command` of the pod spec runs as written. */
  hasShell: boolean;
}

/** Behaviour per application kind. */
export const APP_BEHAVIOURS: Readonly<Record<AppKind, AppBehaviour>> = {
  nginx: {
    ports: [{ port: 80, protocol: 'http' }],
    process: { kind: 'serve' },
    stop: { kind: 'graceful', ms: 1_000, exitCode: 0 },
    hasShell: true,
  },
  'todo-web': {
    ports: [{ port: 80, protocol: 'http' }],
    process: { kind: 'serve' },
    stop: { kind: 'graceful', ms: 1_500, exitCode: 0 },
    hasShell: true,
  },
  postgres: {
    ports: [{ port: 5432, protocol: 'tcp' }],
    process: { kind: 'serve' },
    stop: { kind: 'graceful', ms: 2_000, exitCode: 0 },
    hasShell: true,
  },
  sleep: {
    ports: [],
    process: { kind: 'sleep' },
    stop: { kind: 'ignores-sigterm' },
    hasShell: true,
  },
  shell: {
    ports: [],
    process: { kind: 'exit', exitCode: 0, runMs: [50, 200], output: [] },
    stop: { kind: 'ignores-sigterm' },
    hasShell: true,
  },
  'command-not-found': {
    ports: [],
    process: {
      kind: 'exit',
      exitCode: 127,
      runMs: [100, 400],
      output: ['/bin/sh: this-will-fail: not found'],
    },
    stop: { kind: 'graceful', ms: 0, exitCode: 0 },
    hasShell: true,
  },
  pause: {
    ports: [],
    process: { kind: 'sleep' },
    stop: { kind: 'graceful', ms: 100, exitCode: 0 },
    hasShell: false,
  },
};

/** One tag of a repository. */
export interface ImageTag {
  /** Compressed size, reported by the kubelet's Pulled event and the node's image list. */
  sizeBytes: number;
  /** Version of the software inside (nginx 1.17.10, PostgreSQL 11.6), for headers and logs. */
  version: string;
  /** Base distribution, which decides a few log lines. */
  base: 'alpine' | 'debian';
  /** Files the image carries beyond its application's defaults, by absolute path. */
  files?: Readonly<Record<string, string>>;
  /** Overrides the repository's application kind (ch09-vweb:v3 is a broken build). */
  app?: AppKind;
}

/** A repository of the catalog with its known tags. */
export interface CatalogRepository {
  /** Fully qualified: `docker.io/library/nginx`. */
  repository: string;
  app: AppKind;
  tags: Readonly<Record<string, ImageTag>>;
}

const NGINX_HTML = '/usr/share/nginx/html';

/** Files every nginx image carries. */
const NGINX_FILES: Readonly<Record<string, string>> = {
  [`${NGINX_HTML}/index.html`]: NGINX_WELCOME_PAGE,
  [`${NGINX_HTML}/50x.html`]: NGINX_50X_PAGE,
};

/** The files of a ch09-vweb release: the image replaces nginx's pages with its own. */
function vwebFiles(version: string, background: string): Readonly<Record<string, string>> {
  return {
    [`${NGINX_HTML}/50x.html`]: NGINX_50X_PAGE,
    [`${NGINX_HTML}/index.html`]: renderVersionPage(version, background),
    [`${NGINX_HTML}/v.txt`]: version,
  };
}

/**
 * nginx releases by minor version, with the patch release each floating tag points at.
 * Sizes grow roughly a megabyte per release; alpine images are about a fifth of debian ones.
 */
const NGINX_RELEASES: readonly (readonly [string, string])[] = [
  ['1.17', '1.17.10'],
  ['1.18', '1.18.0'],
  ['1.19', '1.19.10'],
  ['1.20', '1.20.2'],
  ['1.21', '1.21.6'],
  ['1.22', '1.22.1'],
  ['1.23', '1.23.4'],
  ['1.24', '1.24.0'],
  ['1.25', '1.25.5'],
  ['1.26', '1.26.3'],
  ['1.27', '1.27.5'],
  ['1.28', '1.28.0'],
  ['1.29', '1.29.1'],
];
const NGINX_STABLE = '1.28';
const NGINX_MAINLINE = '1.29';

function nginxTags(): Record<string, ImageTag> {
  const tags: Record<string, ImageTag> = {};
  NGINX_RELEASES.forEach(([minor, patch], index) => {
    const alpine: ImageTag = { sizeBytes: 9_050_000 + index * 1_130_000, version: patch, base: 'alpine' };
    const debian: ImageTag = { sizeBytes: 51_200_000 + index * 1_870_000, version: patch, base: 'debian' };
    for (const name of [minor, patch]) {
      tags[name] = debian;
      tags[`${name}-alpine`] = alpine;
    }
    if (minor === NGINX_STABLE) {
      tags.stable = debian;
      tags['stable-alpine'] = alpine;
    }
    if (minor === NGINX_MAINLINE) {
      tags.mainline = debian;
      tags['mainline-alpine'] = alpine;
      tags.latest = debian;
      tags.alpine = alpine;
    }
  });
  return tags;
}

/** PostgreSQL releases: major → the minor version its floating tags point at. */
const POSTGRES_RELEASES: readonly (readonly [string, string])[] = [
  ['11', '11.22'],
  ['12', '12.22'],
  ['13', '13.21'],
  ['14', '14.18'],
  ['15', '15.13'],
  ['16', '16.9'],
  ['17', '17.5'],
];

function postgresTags(): Record<string, ImageTag> {
  const tags: Record<string, ImageTag> = {};
  POSTGRES_RELEASES.forEach(([major, minor], index) => {
    const alpine: ImageTag = { sizeBytes: 71_400_000 + index * 6_100_000, version: minor, base: 'alpine' };
    const debian: ImageTag = { sizeBytes: 148_300_000 + index * 4_700_000, version: minor, base: 'debian' };
    for (const name of [major, minor]) {
      tags[name] = debian;
      tags[`${name}-alpine`] = alpine;
    }
    if (major === '17') {
      tags.latest = debian;
      tags.alpine = alpine;
    }
  });
  // The chapter's pinned releases, which the floating 11 tags have since moved past.
  for (const minor of ['11.6', '11.7', '11.8', '11.9']) {
    tags[minor] = { sizeBytes: 120_600_000, version: minor, base: 'debian' };
    tags[`${minor}-alpine`] = { sizeBytes: 61_900_000, version: minor, base: 'alpine' };
  }
  return tags;
}

function plainTags(
  names: readonly string[],
  sizeBytes: number,
  version: string,
  base: ImageTag['base'],
): Record<string, ImageTag> {
  return Object.fromEntries(names.map((name) => [name, { sizeBytes, version, base }]));
}

/** Every repository the sandbox's registry serves. */
export const IMAGE_CATALOG: readonly CatalogRepository[] = [
  {
    repository: 'docker.io/kiamol/ch09-vweb',
    app: 'nginx',
    tags: {
      v1: { sizeBytes: 9_932_416, version: '1.21.6', base: 'alpine', files: vwebFiles('v1', '#a8ebff') },
      v2: { sizeBytes: 9_932_459, version: '1.21.6', base: 'alpine', files: vwebFiles('v2', '#ffd6a8') },
      // Built FROM alpine with a command that does not exist: the shell exits 127 at start.
      v3: { sizeBytes: 2_818_413, version: '3.15', base: 'alpine', app: 'command-not-found' },
    },
  },
  {
    repository: 'docker.io/kiamol/ch04-todo-list',
    app: 'todo-web',
    tags: { latest: { sizeBytes: 92_781_240, version: '3.1', base: 'debian' } },
  },
  {
    repository: 'docker.io/kiamol/ch03-sleep',
    app: 'sleep',
    tags: { latest: { sizeBytes: 3_377_154, version: '3.15', base: 'alpine' } },
  },
  { repository: 'docker.io/library/nginx', app: 'nginx', tags: nginxTags() },
  { repository: 'docker.io/library/postgres', app: 'postgres', tags: postgresTags() },
  {
    repository: 'docker.io/library/busybox',
    app: 'shell',
    tags: plainTags(
      ['latest', 'stable', '1.36', '1.36.1', '1.37', '1.37.0', 'musl', 'glibc'],
      2_166_802,
      '1.37.0',
      'debian',
    ),
  },
  {
    repository: 'docker.io/library/alpine',
    app: 'shell',
    tags: {
      ...plainTags(['latest', '3', '3.22'], 3_799_669, '3.22.1', 'alpine'),
      ...plainTags(['3.15', '3.16', '3.17', '3.18', '3.19', '3.20', '3.21'], 3_410_000, '3.21.4', 'alpine'),
    },
  },
  {
    repository: 'registry.k8s.io/pause',
    app: 'pause',
    tags: plainTags(['3.9', '3.10'], 320_368, '3.10', 'debian'),
  },
];

/** An image the registry has, resolved to everything the kubelet reports about it. */
export interface CatalogImage {
  /** `docker.io/kiamol/ch09-vweb:v1`, as containerStatuses[].image shows it. */
  reference: string;
  /** `docker.io/kiamol/ch09-vweb@sha256:…`, as containerStatuses[].imageID shows it. */
  imageID: string;
  digest: string;
  repository: CatalogRepository;
  tagName: string;
  tag: ImageTag;
  app: AppKind;
  behaviour: AppBehaviour;
  /** The image's own files (application defaults overlaid with the tag's), by absolute path. */
  files: Readonly<Record<string, string>>;
}

/** Why a pull fails, worded as containerd words it. */
export interface PullFailure {
  /** gRPC code in the kubelet's message: NotFound for a missing tag, Unknown for a missing repository. */
  code: 'NotFound' | 'Unknown';
  /** The message after `Failed to pull image "…": `. */
  message: string;
}

/** The result of asking the registry for an image. */
export type ImageLookup = { found: true; image: CatalogImage } | { found: false; failure: PullFailure };

/** A stable fake digest for a repository and tag (registries hash content; we hash the name). */
export function digestOf(repository: string, tag: string): string {
  return `sha256:${createHash('sha256').update(`rollout-lab/${repository}:${tag}`).digest('hex')}`;
}

function defaultFilesOf(app: AppKind): Readonly<Record<string, string>> {
  return app === 'nginx' ? NGINX_FILES : {};
}

function resolveTag(repository: CatalogRepository, tagName: string, ref: string): CatalogImage {
  const tag = repository.tags[tagName]!;
  const app = tag.app ?? repository.app;
  const digest = digestOf(repository.repository, tagName);
  return {
    reference: ref,
    imageID: `${repository.repository}@${digest}`,
    digest,
    repository,
    tagName,
    tag,
    app,
    behaviour: APP_BEHAVIOURS[app],
    files: { ...defaultFilesOf(app), ...(tag.files ?? {}) },
  };
}

function findRepository(ref: ImageRef, catalog: readonly CatalogRepository[]): CatalogRepository | undefined {
  const name = repositoryOf(ref);
  return catalog.find((r) => r.repository === name);
}

/**
 * Looks an image reference up as a pull would. `kiamol/ch09-vweb:v9` fails with containerd's
 * `not found`; an unknown repository fails with `pull access denied`. Invalid references throw
 * InvalidImageReferenceError (the kubelet reports those before pulling).
 */
export function lookupImage(
  reference: string,
  catalog: readonly CatalogRepository[] = IMAGE_CATALOG,
): ImageLookup {
  const ref = parseImageRef(reference);
  const full = ref.digest ? `${repositoryOf(ref)}@${ref.digest}` : `${repositoryOf(ref)}:${ref.tag}`;
  const repository = findRepository(ref, catalog);
  const unpack = `failed to pull and unpack image "${full}"`;
  if (!repository) {
    return {
      found: false,
      failure: {
        code: 'Unknown',
        message: `rpc error: code = Unknown desc = ${unpack}: failed to resolve reference "${full}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
      },
    };
  }
  let tagName: string | undefined;
  if (ref.digest) {
    tagName = Object.keys(repository.tags).find(
      (t) => digestOf(repository.repository, t) === ref.digest && (ref.tag === undefined || ref.tag === t),
    );
  } else if (ref.tag !== undefined && Object.hasOwn(repository.tags, ref.tag)) {
    tagName = ref.tag;
  }
  if (tagName === undefined) {
    return {
      found: false,
      failure: {
        code: 'NotFound',
        message: `rpc error: code = NotFound desc = ${unpack}: failed to resolve reference "${full}": ${full}: not found`,
      },
    };
  }
  return { found: true, image: resolveTag(repository, tagName, full) };
}

/** The catalog entry for a reference, or undefined when a pull of it would fail (or it is invalid). */
export function findImage(
  reference: string,
  catalog: readonly CatalogRepository[] = IMAGE_CATALOG,
): CatalogImage | undefined {
  try {
    const result = lookupImage(reference, catalog);
    return result.found ? result.image : undefined;
  } catch {
    return undefined;
  }
}
