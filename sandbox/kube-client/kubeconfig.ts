/**
 * Reading a kubeconfig the way kubectl does for one context: pick the context, find its cluster and
 * user, and resolve file references into inline data. The result is what the kube-client connects
 * with and what the kubeconfig backend writes back out as a flat, single-context file.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

/** A kubeconfig that cannot be used: missing context, unsupported credentials, unreadable file. */
export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

/** Where and how to reach the API server. */
export interface ResolvedCluster {
  server: string;
  /** PEM of the CA that signs the server's certificate (decoded from certificate-authority-data). */
  certificateAuthority?: string;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
}

/** Who to be. Only credentials that need no helper program are supported. */
export interface ResolvedUser {
  token?: string;
  /** PEM client certificate and key (kind's admin kubeconfig authenticates this way). */
  clientCertificate?: string;
  clientKey?: string;
}

/** One context of a kubeconfig with everything inline. */
export interface ResolvedKubeconfig {
  contextName: string;
  clusterName: string;
  userName: string;
  namespace?: string;
  cluster: ResolvedCluster;
  user: ResolvedUser;
}

/** How to resolve a kubeconfig. */
export interface ResolveOptions {
  /** The context to use; the file's current-context when absent. */
  context?: string;
  /** Folder that relative file references are relative to (the kubeconfig file's folder). */
  baseDir?: string;
  /** Reads a referenced file; injectable for tests. */
  readFile?: (path: string) => string;
}

type Named<T> = { name?: unknown } & Partial<Record<'cluster' | 'user' | 'context', T>>;

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function findNamed(list: unknown, name: string, field: 'cluster' | 'user' | 'context') {
  if (!Array.isArray(list)) return undefined;
  const entry = (list as Named<unknown>[]).find((item) => asRecord(item).name === name);
  return entry ? asRecord(entry[field]) : undefined;
}

function namesOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => asRecord(item).name).filter((n): n is string => typeof n === 'string');
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Inline data (base64, as kubeconfig stores it) or the content of a referenced file. A field given
 * both ways prefers the data, as client-go does.
 */
function dataOrFile(
  record: Record<string, unknown>,
  key: string,
  read: (path: string) => string,
  baseDir: string | undefined,
): string | undefined {
  const data = stringField(record, `${key}-data`);
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  const file = stringField(record, key);
  return file ? readReference(file, key, read, baseDir) : undefined;
}

function readReference(
  file: string,
  what: string,
  read: (path: string) => string,
  baseDir: string | undefined,
): string {
  const path = isAbsolute(file) || !baseDir ? file : resolve(baseDir, file);
  try {
    return read(path);
  } catch (error) {
    throw new KubeconfigError(`cannot read the ${what} file ${path}: ${(error as Error).message}`);
  }
}

/** Parses a kubeconfig and resolves one context into inline data. Throws KubeconfigError. */
export function resolveKubeconfig(text: string, options: ResolveOptions = {}): ResolvedKubeconfig {
  const read = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  let doc: Record<string, unknown>;
  try {
    doc = asRecord(parse(text));
  } catch (error) {
    throw new KubeconfigError(`the kubeconfig is not valid YAML: ${(error as Error).message}`);
  }
  const contextName = options.context ?? stringField(doc, 'current-context');
  const available = namesOf(doc.contexts);
  if (!contextName)
    throw new KubeconfigError(
      `the kubeconfig has no current-context; choose one of: ${available.join(', ') || '(no contexts)'}`,
    );
  const context = findNamed(doc.contexts, contextName, 'context');
  if (!context)
    throw new KubeconfigError(
      `context "${contextName}" is not in the kubeconfig; it has: ${available.join(', ') || '(no contexts)'}`,
    );
  const clusterName = stringField(context, 'cluster') ?? '';
  const userName = stringField(context, 'user') ?? '';
  const cluster = findNamed(doc.clusters, clusterName, 'cluster');
  if (!cluster)
    throw new KubeconfigError(
      `context "${contextName}" names cluster "${clusterName}", which is not defined`,
    );
  const server = stringField(cluster, 'server');
  if (!server) throw new KubeconfigError(`cluster "${clusterName}" has no server`);
  // A context may name no user (anonymous access); a named but undefined user is a broken file.
  const user = userName ? findNamed(doc.users, userName, 'user') : {};
  if (!user)
    throw new KubeconfigError(`context "${contextName}" names user "${userName}", which is not defined`);
  if (user.exec !== undefined || user['auth-provider'] !== undefined) {
    const helper = asRecord(user.exec).command ?? asRecord(user['auth-provider']).name ?? 'a helper';
    throw new KubeconfigError(
      `user "${userName}" authenticates through ${String(helper)}, which the sandbox cannot run; ` +
        'give it a kubeconfig with a bearer token or a client certificate (for example a ServiceAccount ' +
        'bound to cluster-admin and `kubectl create token`)',
    );
  }
  if (user.username !== undefined || user.password !== undefined)
    throw new KubeconfigError(
      `user "${userName}" uses basic authentication, which Kubernetes removed; use a token or a client certificate`,
    );
  const baseDir = options.baseDir;
  const tokenFile = stringField(user, 'tokenFile');
  const token =
    stringField(user, 'token') ??
    (tokenFile ? readReference(tokenFile, 'tokenFile', read, baseDir).trim() : undefined);
  const resolvedUser: ResolvedUser = {};
  if (token) resolvedUser.token = token;
  const clientCertificate = dataOrFile(user, 'client-certificate', read, baseDir);
  const clientKey = dataOrFile(user, 'client-key', read, baseDir);
  if (clientCertificate) resolvedUser.clientCertificate = clientCertificate;
  if (clientKey) resolvedUser.clientKey = clientKey;
  const resolvedCluster: ResolvedCluster = {
    server,
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
  };
  const ca = dataOrFile(cluster, 'certificate-authority', read, baseDir);
  if (ca) resolvedCluster.certificateAuthority = ca;
  const tlsServerName = stringField(cluster, 'tls-server-name');
  if (tlsServerName) resolvedCluster.tlsServerName = tlsServerName;
  const resolved: ResolvedKubeconfig = {
    contextName,
    clusterName,
    userName,
    cluster: resolvedCluster,
    user: resolvedUser,
  };
  const namespace = stringField(context, 'namespace');
  if (namespace) resolved.namespace = namespace;
  return resolved;
}

/** Reads a kubeconfig file and resolves one context; relative references are relative to the file. */
export function resolveKubeconfigFile(path: string, context?: string): ResolvedKubeconfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new KubeconfigError(`cannot read the kubeconfig ${path}: ${(error as Error).message}`);
  }
  return resolveKubeconfig(text, { context, baseDir: dirname(path) });
}

/** Writes a resolved context back out as a kubeconfig with one cluster, user and context, all inline. */
export function renderResolvedKubeconfig(resolved: ResolvedKubeconfig): string {
  const cluster: Record<string, unknown> = { server: resolved.cluster.server };
  if (resolved.cluster.certificateAuthority)
    cluster['certificate-authority-data'] = Buffer.from(resolved.cluster.certificateAuthority).toString(
      'base64',
    );
  if (resolved.cluster.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
  if (resolved.cluster.tlsServerName) cluster['tls-server-name'] = resolved.cluster.tlsServerName;
  const user: Record<string, string> = {};
  if (resolved.user.token) user.token = resolved.user.token;
  if (resolved.user.clientCertificate)
    user['client-certificate-data'] = Buffer.from(resolved.user.clientCertificate).toString('base64');
  if (resolved.user.clientKey)
    user['client-key-data'] = Buffer.from(resolved.user.clientKey).toString('base64');
  const context: Record<string, string> = { cluster: resolved.clusterName, user: resolved.userName };
  if (resolved.namespace) context.namespace = resolved.namespace;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: resolved.clusterName, cluster }],
    users: [{ name: resolved.userName, user }],
    contexts: [{ name: resolved.contextName, context }],
    'current-context': resolved.contextName,
    preferences: {},
  });
}
