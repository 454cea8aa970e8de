/**
 * Monaco with only what the manifest editor needs: the editor core and its standard features,
 * the YAML grammar, and monaco-yaml's language server (validation, completion, hover) running in
 * a web worker. Imported only by `workbench.ts`, itself loaded with `import()` when the learner
 * first needs the editor, so none of this ships with a lesson page's first load.
 *
 * Workers are bundled by Vite (`?worker`) into files of the built site and started from the same
 * origin, so they load from the sandbox server like any other script.
 */
import * as monaco from 'monaco-editor/editor/editor.api.js';
import 'monaco-editor/features/register.all.js';
import 'monaco-editor/languages/definitions/yaml/register.js';
import { createWebWorker } from 'monaco-editor/internal/common/workers.js';
import { configureMonacoYaml, type JSONSchema, type MonacoYaml, type MonacoYamlOptions } from 'monaco-yaml';
import EditorWorker from './editor.worker.ts?worker';
import YamlWorker from './yaml.worker.ts?worker';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

window.MonacoEnvironment = {
  getWorker(_workerId, label) {
    return label === 'yaml' ? new YamlWorker() : new EditorWorker();
  },
};

/** The URI pattern every manifest model uses, so the schema applies to all of them. */
export const MODEL_SCHEME = 'rl-workdir';

let yaml: MonacoYaml | undefined;

/**
 * Monaco as monaco-yaml expects it. Since monaco-editor 0.53, `editor.createWebWorker` takes a
 * ready Worker, while monaco-yaml's worker manager still passes `{ label, moduleId, createData }`;
 * Monaco keeps the older form for its own languages in `internal/common/workers.js`, so that one
 * is handed over. Without it the YAML requests reach the plain editor worker and fail
 * ("Missing requestHandler or method: doValidation").
 */
const monacoForYaml = {
  ...monaco,
  editor: { ...monaco.editor, createWebWorker },
} as unknown as typeof monaco;

/**
 * Gives the YAML language server the cluster's schema for every model (`schema` undefined: syntax
 * checks only, for when the schema could not be fetched).
 */
export function configureManifestSchema(schema: Record<string, unknown> | undefined, sessionId = ''): void {
  const options: MonacoYamlOptions = {
    enableSchemaRequest: false,
    validate: true,
    completion: true,
    hover: true,
    format: { enable: true },
    schemas: schema
      ? [
          {
            // Where the schema came from (hover links to it); never fetched again, the text is given.
            uri: `${location.origin}/api/sessions/${encodeURIComponent(sessionId)}/schema`,
            fileMatch: ['*'],
            schema: schema as JSONSchema,
          },
        ]
      : [],
  };
  if (yaml) yaml.update(options);
  else yaml = configureMonacoYaml(monacoForYaml, options);
}

export { monaco };
