/**
 * The YAML language server's web worker (validation, completion, hover), bundled by Vite from
 * `import YamlWorker from './yaml.worker.ts?worker'`. Imported through this file rather than
 * directly: Vite's worker bundling of the package entry otherwise starts the wrong module.
 */
import 'monaco-yaml/yaml.worker.js';
