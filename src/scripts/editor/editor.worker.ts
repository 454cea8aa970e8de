/** Monaco's own editor worker (diffs, word ranges), bundled by Vite with `?worker`. */
import 'monaco-editor/editor/editor.worker.js';
