// @ts-check
import mdx from '@astrojs/mdx';
import { defineConfig } from 'astro/config';
import { lazyMonacoCss } from './vite-lazy-monaco-css.mjs';

/**
 * The lesson site: static pages only (the sandbox server serves `dist/` next to its API), Korean
 * as the default and original language, English as a full translation. Every page lives under its
 * locale (`/ko/…`, `/en/…`); `/` is a language choice of its own rather than a redirect, so a
 * learner always sees both languages offered.
 */
export default defineConfig({
  output: 'static',
  trailingSlash: 'always',
  // Lossless whitespace removal: Astro 7's default ('jsx') joins the lines of multi-line text
  // without a space, which glues Korean and English words together in the templates.
  compressHTML: true,
  integrations: [mdx()],
  markdown: {
    // Lesson code blocks are terminal output and manifests shown as plain text; skipping Shiki
    // keeps its inline colours from fighting the light and dark themes.
    syntaxHighlight: false,
  },
  i18n: {
    locales: ['ko', 'en'],
    defaultLocale: 'ko',
    routing: { prefixDefaultLocale: true, redirectToDefaultLocale: false },
  },
  build: {
    // Inline only tiny stylesheets: the font's unicode-range CSS is large and shared by every page.
    inlineStylesheets: 'never',
  },
  devToolbar: { enabled: false },
  vite: {
    plugins: [lazyMonacoCss()],
    resolve: {
      // monaco-yaml's worker imports `monaco-editor/esm/vs/...`, a path monaco-editor 0.5x's
      // package exports no longer map (they expose `monaco-editor/...` for `esm/vs/...`).
      alias: [{ find: /^monaco-editor\/esm\/vs\/(.*)$/, replacement: 'monaco-editor/$1' }],
    },
  },
});
