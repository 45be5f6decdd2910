// A shell in a running container, four ways, side by side in one run (tmux 80x24, busybox sh):
//   ctui's TUI in the pane (E, enter) and full screen (e, enter), ctui exec -it NAME sh, and
//   podman exec -it NAME sh (runc)
// For each: the time from the key that asks for the shell to its prompt on the screen, and from a
// typed character to its echo (the whole path: terminal -> proxy -> pty -> shell -> back, for the
// pane also the headless terminal and an Ink frame). Medians of ROUNDS; the screen is polled with
// tmux capture-pane (~2 ms a poll), the same way for all three.
// Usage: node bench/execpane.mjs   (ROUNDS=N, default 10)
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CTUI = path.join(REPO, 'bin', 'ctui.js');
const ROUNDS = Number(process.env.ROUNDS || 10);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ctui-bench-exec-'));
const env = { ...process.env, CTUI_ROOT: root };
const ctui = (...args) => execFileSync(process.execPath, [CTUI, ...args], { env, encoding: 'utf8' });
// podman with its own store, as bench/run.sh (cgroupfs, no events journal: this VM has no systemd session).
const PODMAN = ['--root', path.join(root, 'podman'), '--runroot', path.join(root, 'podman-run'), '--runtime', 'runc', '--cgroup-manager', 'cgroupfs', '--events-backend', 'none'];
const podman = (...args) => execFileSync('podman', [...PODMAN, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sock = `ctui-bench-exec-${process.pid}`;
const tmux = (...a) => execFileSync('tmux', ['-L', sock, ...a], { encoding: 'utf8' });
const screen = (w) => tmux('capture-pane', '-p', '-t', w);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * ms until the screen of window w matches re (polled), or throws after 10 s. With `after`, only the
 * screen below its last occurrence counts (the normal screen keeps earlier sessions' lines).
 */
async function until(w, re, since, after) {
  for (;;) {
    const text = screen(w);
    if (re.test(after ? text.slice(text.lastIndexOf(after) + after.length) : text)) return performance.now() - since;
    if (performance.now() - since > 10_000) throw new Error(`never matched ${re}:\n${screen(w)}`);
    await sleep(1);
  }
}

const res = { pane: { open: [], echo: [] }, full: { open: [], echo: [] }, ctui: { open: [], echo: [] }, podman: { open: [], echo: [] } };
try {
  const tar = path.join(root, 'busybox.tar');
  execFileSync('sh', [path.join(REPO, 'scripts/busybox-rootfs.sh'), tar], { stdio: 'ignore' });
  ctui('import', tar, 'busybox');
  ctui('run', '-d', '--name', 'bench-exec', 'busybox', 'sleep', '100000');
  const pimg = podman('import', tar, 'localhost/ctui-bench-busybox').trim();
  // --ulimit: podman raises RLIMIT_NOFILE by default, which needs CAP_SYS_RESOURCE (absent here).
  podman('run', '-d', '--network', 'none', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '--name', 'ctui-bench-exec', pimg, 'sleep', '100000');

  tmux('new-session', '-d', '-s', 'ui', '-x', '80', '-y', '24', `env CTUI_ROOT=${root} ${process.execPath} ${CTUI}`);
  tmux('new-window', '-d', '-t', 'ui', '-n', 'sh');
  tmux('resize-window', '-t', 'ui:sh', '-x', '80', '-y', '24');
  await sleep(1500);
  await until('ui:0', /bench-exec/, performance.now());

  let t = 0;
  for (let i = 0; i < ROUNDS; i++) {
    // The TUI: E (in the pane) or e (full screen) opens the prompt with the login shell, enter runs it.
    for (const [key, r] of [['E', res.pane], ['e', res.full]]) {
      tmux('send-keys', '-t', 'ui:0', key);
      await until('ui:0', /exec in bench-exec.*: \S/, performance.now());
      t = performance.now();
      tmux('send-keys', '-t', 'ui:0', 'Enter');
      const banner = key === 'e' ? 'exit the shell to return' : undefined;
      r.open.push(await until('ui:0', /^\/ #/m, t, banner));
      await sleep(100);
      t = performance.now();
      tmux('send-keys', '-t', 'ui:0', '-l', 'Q');
      r.echo.push(await until('ui:0', /\/ # Q/, t, banner));
      tmux('send-keys', '-t', 'ui:0', 'BSpace');
      tmux('send-keys', '-t', 'ui:0', '-l', 'exit');
      tmux('send-keys', '-t', 'ui:0', 'Enter');
      await until('ui:0', /exit code 0/, performance.now());
      await sleep(150);
    }

    for (const [who, cmd] of [['ctui', `${process.execPath} ${CTUI} exec -it bench-exec sh`], ['podman', `podman ${PODMAN.join(' ')} exec -it ctui-bench-exec sh`]]) {
      tmux('send-keys', '-t', 'ui:sh', 'clear', 'Enter');
      await sleep(100);
      tmux('send-keys', '-t', 'ui:sh', `CTUI_ROOT=${root} ${cmd}`);
      await sleep(100);
      t = performance.now();
      tmux('send-keys', '-t', 'ui:sh', 'Enter');
      res[who].open.push(await until('ui:sh', /^\/ #/m, t));
      await sleep(100);
      t = performance.now();
      tmux('send-keys', '-t', 'ui:sh', '-l', 'Q');
      res[who].echo.push(await until('ui:sh', /\/ # Q/, t));
      tmux('send-keys', '-t', 'ui:sh', 'BSpace');
      tmux('send-keys', '-t', 'ui:sh', '-l', 'exit');
      tmux('send-keys', '-t', 'ui:sh', 'Enter');
      await sleep(300);
    }
  }
  const row = (name, r) => `| ${name} | ${median(r.open).toFixed(0)} ms | ${median(r.echo).toFixed(1)} ms |`;
  console.log(`medians of ${ROUNDS} rounds (tmux 80x24, polled screen)`);
  console.log('| shell in a running container | key to prompt | typed key to echo |');
  console.log('|---|---|---|');
  console.log(row('ctui TUI, exec in the pane (E, enter)', res.pane));
  console.log(row('ctui TUI, exec full screen (e, enter)', res.full));
  console.log(row('ctui exec -it (CLI, full terminal)', res.ctui));
  console.log(row('podman exec -it (runc)', res.podman));
  console.log(`ratios to podman: pane open ${(median(res.pane.open) / median(res.podman.open)).toFixed(2)}x, echo ${(median(res.pane.echo) / median(res.podman.echo)).toFixed(2)}x; full screen open ${(median(res.full.open) / median(res.podman.open)).toFixed(2)}x, echo ${(median(res.full.echo) / median(res.podman.echo)).toFixed(2)}x; ctui CLI/podman open ${(median(res.ctui.open) / median(res.podman.open)).toFixed(2)}x`);
} finally {
  try { tmux('send-keys', '-t', 'ui:0', 'q'); } catch {}
  await sleep(300);
  spawnSync('tmux', ['-L', sock, 'kill-server']);
  spawnSync('podman', [...PODMAN, 'rm', '-f', '-t', '0', 'ctui-bench-exec'], { stdio: 'ignore' });
  spawnSync(process.execPath, [CTUI, 'rm', '-f', 'bench-exec'], { env });
  spawnSync('sh', ['-c', `grep -o " ${root}[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l`]);
  fs.rmSync(root, { recursive: true, force: true });
}
