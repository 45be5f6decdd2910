// The store the TUI benches run over: busybox imported and N containers made with `ctui create`
// (BENCH_TUI_ROOT=DIR keeps and reuses it across runs and benches).
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** The binary under test (BENCH_TUI_BIN: another checkout's, for a before/after in one session). */
export const CTUI = process.env.BENCH_TUI_BIN || path.join(REPO, 'bin', 'ctui.js');

export async function benchStore(prefix, n) {
  const root = process.env.BENCH_TUI_ROOT || fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const env = { ...process.env, CTUI_ROOT: root };
  const ctui = (...args) => execFileSync(process.execPath, [CTUI, ...args], { env, encoding: 'utf8' });
  if (!ctui('images', '-q').trim()) {
    const tar = path.join(root, 'busybox.tar');
    execFileSync('sh', [path.join(REPO, 'scripts/busybox-rootfs.sh'), tar], { stdio: 'ignore' });
    ctui('import', tar, 'busybox');
  }
  let have = ctui('ps', '-aq').trim().split('\n').filter(Boolean).length;
  if (have < n) {
    process.stderr.write(`creating ${n - have} containers with ctui create...\n`);
    // Two at a time: the machine has two cores.
    const one = () => new Promise((r) => spawn(process.execPath, [CTUI, 'create', 'busybox', 'true'], { env, stdio: 'ignore' }).on('exit', r));
    while (have < n) {
      await Promise.all([one(), one()]);
      have += 2;
    }
  }
  return { root, env, ctui, have };
}
