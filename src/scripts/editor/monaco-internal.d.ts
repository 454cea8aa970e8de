/**
 * Types for the one internal Monaco module the editor uses (see monaco-setup.ts): the form of
 * `createWebWorker` that still takes a label and creation data, as monaco-yaml calls it.
 */
declare module 'monaco-editor/internal/common/workers.js' {
  import type { editor } from 'monaco-editor/editor/editor.api.js';

  export function createWebWorker<T extends object>(options: {
    label?: string;
    moduleId?: string;
    createData?: unknown;
    host?: Record<string, (...args: unknown[]) => unknown>;
    keepIdleModels?: boolean;
  }): editor.MonacoWebWorker<T>;
}
