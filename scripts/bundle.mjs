// Bundles the TypeScript sources into dist/ with esbuild. One entry per process kind:
// the CLI (commands are split into lazily loaded chunks, so `ctui ps` never loads Ink or React).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  jsx: 'automatic',
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Everything is bundled, Ink and React too: they land only in the chunks the TUI's dynamic import
  // reaches (a CLI call never loads them), and as a few files instead of ~550 modules to resolve
  // (ink imports es-toolkit/compat, ~480 files) plus React's CJS files to lex: that was half the
  // TUI's first frame (issue 12). yargs and tar-stream are bundled for the same reason.
  // @xterm/headless stays external: loaded only when a session opens in the pane.
  // react-devtools-core: Ink imports it only under DEV=true; it is not installed.
  external: ['@xterm/headless', 'react-devtools-core'],
  // React's production build, chosen at build time (react/index.js picks its build from NODE_ENV):
  // the development build records a performance.measure() entry for every component render, which
  // Node keeps forever (the UI's heap grew ~1 MB per store event), and is twice the code.
  define: { 'process.env.NODE_ENV': '"production"' },
  banner: { js: "import { createRequire as __ctuiCreateRequire } from 'node:module'; const require = __ctuiCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
