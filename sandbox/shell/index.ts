/**
 * The learner's restricted shell, as the session server uses it: `createShell` and the services
 * it must be given. See `services.ts` for the interfaces to implement.
 */

export { COMMAND_NAMES } from './commands/index.ts';
export { type ConfineContext, confineKubectl, type KubectlVerdict, type RefusalRule } from './confine.ts';
export { formatShellSyntaxError, HttpProxyError, ShellSyntaxError, WorkspaceError } from './errors.ts';
export { createNodeWorkspace } from './node-workspace.ts';
export { parseLine } from './parse.ts';
export type {
  DirEntry,
  EditRequest,
  EntryStat,
  HttpProxy,
  HttpResponse,
  HttpTarget,
  KubectlRunner,
  KubectlRunOptions,
  ListNames,
  OpenEditor,
  OutputStream,
  Workspace,
} from './services.ts';
export { createShell, type Shell, type ShellOptions } from './shell.ts';
