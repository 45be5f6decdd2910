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
  // Ink and React stay external: only the TUI chunk imports them. yargs and tar-stream are bundled
  // so that a CLI call loads a handful of files instead of dozens (start-up time is a budget).
  external: ['ink', '@xterm/headless', 'react', 'react/*', 'react-dom', '@alcalzone/ink-table', 'chalk', 'execa'],
  banner: { js: "import { createRequire as __ctuiCreateRequire } from 'node:module'; const require = __ctuiCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
