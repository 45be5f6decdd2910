// Bundles the TypeScript sources into dist/ with esbuild, as three bundles that share nothing at run
// time but plain values:
//   dist/cli.cjs       every CLI verb, ONE CommonJS file. Node's ESM loader costs ~0.4 ms per module
//                      it resolves, links and reads (measured here: 23 small modules take 1.3x the time
//                      of the same code in one), and a `ctui create` loaded 23 chunks. CommonJS rather
//                      than one ESM file: ESM hoists every module's imports to the top, so one file
//                      would load node:http, https, zlib, readline... on every call; in CommonJS what
//                      only some verbs need (import, save/load, exec, commit, pull...) stays lazy with
//                      its built-in modules, in an init function that runs on first use.
//   dist/help.js       yargs, for --help only (~160 kB no other path needs).
//   dist/tui/entry.js  the terminal UI (Ink, React), ESM split into chunks; loaded only when `ctui`
//                      runs without a verb.
// The CLI reaches the other two through `import('../ui/entry.js')` and `import('./help.js')` in its
// sources, which the plugin below turns into imports of the built files.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

const common = {
  jsx: 'automatic',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // React's production build, chosen at build time (react/index.js picks its build from NODE_ENV):
  // the development build records a performance.measure() entry for every component render, which
  // Node keeps forever (the UI's heap grew ~1 MB per store event), and is twice the code.
  define: { 'process.env.NODE_ENV': '"production"' },
  banner: { js: "import { createRequire as __ctuiCreateRequire } from 'node:module'; const require = __ctuiCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
};

/**
 * `import * as fs from 'node:fs'` becomes `__toESM(require("node:fs"), 1)` in CommonJS: a copy of
 * every property as a getter, for each of ~80 such imports (thousands of defineProperty calls on
 * every call of ctui). A built-in module needs no copy: an object whose prototype is the module,
 * with `default` (what a default import reads) on top.
 */
const BUILTIN_NS = 'const __ctuiBuiltin = (m) => Object.create(m, { default: { value: m, enumerable: true } });';
function lightBuiltinNamespaces(file) {
  const text = readFileSync(file, 'utf8');
  const out = text.replace(/__toESM\((require\("(?:node:)?[a-z_/]+"\))(?:, 1)?\)/g, (whole, req) => {
    const name = /"(?:node:)?([a-z_/]+)"/.exec(req)[1];
    return isBuiltin(name) ? `__ctuiBuiltin(${req})` : whole;
  });
  writeFileSync(file, out);
}

/** The CLI's doors to the other bundles: external imports of their built files (paths from dist/). */
const otherBundles = {
  name: 'other-bundles',
  setup(b) {
    const doors = { '../ui/entry.js': './tui/entry.js', './help.js': './help.js' };
    b.onResolve({ filter: /^(\.\.\/ui\/entry|\.\/help)\.js$/ }, (a) => (a.importer.endsWith('/src/cli/main.ts') ? { path: doors[a.path], external: true } : undefined));
  },
};

await build({
  ...common,
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  splitting: false,
  // import.meta.url (native.ts finds build/ from it) as CommonJS knows it.
  define: { ...common.define, 'import.meta.url': '__ctuiImportMetaUrl' },
  banner: { js: `const __ctuiImportMetaUrl = require('node:url').pathToFileURL(__filename).href; ${BUILTIN_NS}` },
  plugins: [otherBundles],
});
lightBuiltinNamespaces(new URL('../dist/cli.cjs', import.meta.url));

await build({ ...common, entryPoints: { help: 'src/cli/help.ts' }, outdir: 'dist', splitting: false });

await build({
  ...common,
  entryPoints: { entry: 'src/ui/entry.ts' },
  outdir: 'dist/tui',
  splitting: true,
  // Everything is bundled, Ink and React too: as a few files instead of ~550 modules to resolve
  // (ink imports es-toolkit/compat, ~480 files) plus React's CJS files to lex: that was half the
  // TUI's first frame (issue 12).
  // @xterm/headless stays external: loaded only when a session opens in the pane.
  // react-devtools-core: Ink imports it only under DEV=true; it is not installed.
  external: ['@xterm/headless', 'react-devtools-core'],
  chunkNames: 'chunks/[name]-[hash]',
});
