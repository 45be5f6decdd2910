// Prints the README's key table (markdown) from the one keymap, src/ui/keymap.ts.
// `node scripts/keytable.mjs` prints it; `--write` replaces the table between the README's markers.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', "import('./src/ui/keymap.ts').then((m) => process.stdout.write(m.markdownKeyTable()))"], {
  cwd: new URL('..', import.meta.url),
  encoding: 'utf8',
  env: { ...process.env, NODE_NO_WARNINGS: '1' },
});
if (r.status !== 0) {
  process.stderr.write(r.stderr);
  process.exit(1);
}
if (process.argv.includes('--write')) {
  const file = new URL('../README.md', import.meta.url);
  const text = readFileSync(file, 'utf8');
  const next = text.replace(/(<!-- keys:start -->\n)[\s\S]*?(<!-- keys:end -->)/, `$1${r.stdout}$2`);
  if (next === text && !text.includes('<!-- keys:start -->')) throw new Error('README.md has no <!-- keys:start --> marker');
  writeFileSync(file, next);
} else process.stdout.write(r.stdout);
