// @ts-check
/**
 * A Vite plugin that turns Monaco's stylesheet imports into code that adds the styles when the
 * editor's chunk runs. Astro links the CSS of every module a page's scripts can reach, lazy
 * `import()`s included, so without this each lesson page would load Monaco's ~170 KB of CSS on
 * its first load even though the editor is loaded only when the learner opens it.
 *
 * Relative `url(...)` references (the codicon font) become imports with `?url`, so Vite still
 * emits those files and the styles point at their built names.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

const PREFIX = '\0lazy-monaco-css:';

/** @returns {import('vite').Plugin} */
export function lazyMonacoCss() {
  return {
    name: 'rollout-lab:lazy-monaco-css',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!source.endsWith('.css') || !importer?.includes('/node_modules/monaco-editor/')) return null;
      // Ends in .js so that Vite's own CSS handling leaves the module alone.
      return `${PREFIX}${resolve(dirname(importer), source)}.js`;
    },
    async load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const path = id.slice(PREFIX.length, -'.js'.length);
      const css = await readFile(path, 'utf8');
      /** @type {string[]} */
      const imports = [];
      // Split the text at each relative url(...) and join it again with the imported URLs.
      const parts = css.split(/url\(\s*['"]?(\.{1,2}\/[^'")]+)['"]?\s*\)/g);
      const pieces = parts.map((part, index) => {
        if (index % 2 === 0) return JSON.stringify(part);
        imports.push(
          `import u${imports.length} from ${JSON.stringify(`${resolve(dirname(path), part)}?url`)};`,
        );
        return `"url(" + u${imports.length - 1} + ")"`;
      });
      return `${imports.join('\n')}
const style = document.createElement('style');
style.dataset.monaco = ${JSON.stringify(path.split('/node_modules/monaco-editor/')[1] ?? path)};
style.textContent = ${pieces.join(' + ')};
document.head.append(style);
`;
    },
  };
}
