// The entry the launcher (build/ctui, src/native/launcher) runs: ctui on the Node that `npm ci`
// installed (Node 24 LTS), with `--` before this script and without the caller's NODE_OPTIONS.
// CommonJS, as dist/cli.cjs is: Node starts a CommonJS main without its ESM loader (see
// scripts/bundle.mjs). bin/ctui.js is the same for `node bin/ctui.js` and its shebang.
// Run directly, Node has already read NODE_OPTIONS before this line: only the launcher protects a
// root process from that. `--` ends Node's own options: Node 20 reads `--env-file` anywhere on its
// command line, so without it `ctui run --env-file app.env` would load app.env into ctui itself (a
// NODE_OPTIONS line in it runs code on the host as root). Every argument after the script is ctui's.
'use strict';
// CTUI_TRACE=1: where the time goes, in ms since the process started (src/core/util/trace.ts).
if (process.env.CTUI_TRACE === '1') process.stderr.write(`[trace ${performance.now().toFixed(1)} ms] node: started, entry running\n`);
const { lstatSync, mkdirSync, readFileSync } = require('node:fs');
const path = require('node:path');
const module_ = require('node:module');

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  process.stderr.write(`ctui: Node.js ${process.versions.node} is too old (ctui needs 20 or newer): run \`npm ci\` in the ctui package, which installs Node 24\n`);
  process.exit(125);
}

/**
 * Node 22.1+ keeps V8's compiled code for our modules on disk, so a call does not compile the bundle
 * again (~8 ms of every call on Node 20, a third of what runs before the first syscall).
 * Security: Node runs the cached code without checking it against anything but the source's hash, so
 * whoever can write the cache can run code in every later ctui, as root. It lives in the package's
 * own node_modules (`.cache/ctui-compile`) and is used only when every directory from the package
 * down to it is owned by this user or root and writable by no one else: then its writers are exactly
 * those who could already rewrite dist/. Otherwise (a root ctui in a user's checkout, a read-only
 * install) it is skipped, silently: the cache only saves time.
 */
function enableCompileCache() {
  if (typeof module_.enableCompileCache !== 'function') return;
  const euid = process.geteuid?.() ?? -1;
  const pkg = path.dirname(__dirname);
  const chain = [pkg, `${pkg}/node_modules`, `${pkg}/node_modules/.cache`, `${pkg}/node_modules/.cache/ctui-compile`];
  for (let i = 0; i < chain.length; i++) {
    let st;
    try {
      st = lstatSync(chain[i]);
    } catch {
      if (i < 2) return;
      try {
        mkdirSync(chain[i], { mode: 0o700 });
        st = lstatSync(chain[i]);
      } catch {
        return;
      }
    }
    const last = i === chain.length - 1;
    if (!st.isDirectory() || (st.mode & 0o022) !== 0 || (last ? st.uid !== euid : st.uid !== euid && st.uid !== 0)) return;
  }
  module_.enableCompileCache(chain[chain.length - 1]);
}

const arg = process.argv[2];
if (arg === '--version' || arg === '-v') {
  // Tiny path: answer without loading the CLI.
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  process.stdout.write(`ctui version ${pkg.version}\n`);
} else {
  enableCompileCache();
  require('../dist/cli.cjs').main(process.argv.slice(2)).then(() => {
    if (process.env.CTUI_TRACE === '1') process.on('exit', () => process.stderr.write(`[trace ${performance.now().toFixed(1)} ms] exit\n`));
  });
}
