#!/usr/bin/env -S node --
// `--` ends Node's own options: Node 20 reads `--env-file` anywhere on its command line, so without
// it `ctui run --env-file app.env` would load app.env into ctui itself (a NODE_OPTIONS line in it
// runs code on the host as root). Every argument after the script is ctui's, never Node's.
// Tiny shim: answer --version without loading anything, otherwise load the bundled CLI.
const arg = process.argv[2];
if (arg === '--version' || arg === '-v') {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`ctui version ${pkg.version}\n`);
} else {
  const { main } = await import('../dist/cli.js');
  await main(process.argv.slice(2));
}
