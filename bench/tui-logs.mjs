// The Logs tab under a flood (issue 12): a container running `yes` is selected and its Logs tab open
// for BENCH_SECONDS (60). The real binary in tmux at 80x24, timed from inside through CTUI_TUI_TRACE
// (key, render, logs-open, logs-first marks) and from outside through the screen and /proc.
// Budgets: the UI's RSS under 250 MiB, the first line within 100 ms of the tab opening, key to frame
// within 50 ms. BENCH_BASE=DIR runs another checkout's bin/ctui.js (e.g. a worktree of main) in the same
// run, one after the other over the same store, for the before/after ratio.
// Usage: node bench/tui-logs.mjs   (root; BENCH_BASE=/tmp/ctui-base BENCH_SECONDS=60)
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SECONDS = Number(process.env.BENCH_SECONDS || 60);
// A run whose UI grows past this is stopped early (the old code reached 1.6 GB: the machine is shared).
const RSS_STOP_MIB = Number(process.env.BENCH_RSS_STOP || 1200);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ctui-bench-logs-'));
const env = { ...process.env, CTUI_ROOT: root };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ctuiOf = (bin) => (...args) => execFileSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
};
const stat = (xs, unit) => (xs.length ? `median ${q(xs, 0.5).toFixed(1)}${unit}, p99 ${q(xs, 0.99).toFixed(1)}${unit}, max ${Math.max(...xs).toFixed(1)}${unit} (n=${xs.length})` : 'none');

async function run(label, checkout) {
  const bin = path.join(checkout, 'bin', 'ctui.js');
  const ctui = ctuiOf(bin);
  spawnSync(process.execPath, [bin, 'rm', '-f', 'bench-flood'], { env });
  ctui('run', '-d', '--name', 'bench-flood', 'busybox', 'yes');
  const trace = path.join(root, `trace-${label.replace(/\W/g, '')}.txt`);
  fs.writeFileSync(trace, '');
  const sock = `ctui-bench-logs-${process.pid}`;
  const tmux = (...a) => execFileSync('tmux', ['-L', sock, ...a], { encoding: 'utf8' });
  tmux('new-session', '-d', '-s', 'b', '-x', '80', '-y', '24', `env CTUI_ROOT=${root} CTUI_TUI_TRACE=${trace} ${process.execPath} ${bin}`);
  const marks = () => fs.readFileSync(trace, 'utf8').trim().split('\n').filter(Boolean).map((l) => { const [t, m] = l.split(' '); return { t: Number(t), m }; });
  const screen = () => tmux('capture-pane', '-p', '-t', 'b');
  // A log line of `yes` on screen: the pane under the tab bar shows a row that is just "y".
  const showsLines = () => { const s = screen().split('\n'); const bar = s.findIndex((l) => /Logs │/.test(l)); return bar >= 0 && s.slice(bar + 1).some((l) => l.trim() === 'y'); };
  const out = { label, rss: [], firstScreen: [], firstTrace: [], keys: [], keysLost: 0, stopped: '' };
  try {
    const t0 = Date.now();
    while (!marks().some((x) => x.m === 'render') && Date.now() - t0 < 20_000) await sleep(20);
    await sleep(1000);
    // The UI's node process (tmux's shell may or may not exec it).
    const pid = Number(fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).find((p) => {
      try {
        const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
        return cmd[0] === process.execPath && cmd[1] === bin && cmd.length === 3 && fs.readFileSync(`/proc/${p}/environ`, 'utf8').includes(`CTUI_TUI_TRACE=${trace}\0`);
      } catch {
        return false;
      }
    }));
    if (!pid) throw new Error('the UI process was not found');
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
    // Select the flood (the list's filter) and leave the Logs tab for Inspect: each measure opens it.
    tmux('send-keys', '-t', 'b', '/');
    await sleep(100);
    tmux('send-keys', '-t', 'b', '-l', 'bench-flood');
    tmux('send-keys', '-t', 'b', 'Enter');
    await sleep(300);
    tmux('send-keys', '-t', 'b', 'i');
    await sleep(500);
    /** Opens the Logs tab (l) and times its first line: on the screen (wall clock) and by the trace. */
    const openLogs = async () => {
      const before = marks().length;
      const w0 = performance.now();
      tmux('send-keys', '-t', 'b', 'l');
      let seen = false;
      while (performance.now() - w0 < 5000) {
        if (showsLines()) { seen = true; break; }
        await sleep(5);
      }
      if (seen) out.firstScreen.push(performance.now() - w0);
      await sleep(200);
      const m = marks().slice(before);
      const k = m.find((x) => x.m === 'key');
      const f = m.find((x) => x.m === 'logs-first');
      const r = f && m.find((x) => x.m === 'render' && x.t >= f.t);
      if (k && r) out.firstTrace.push(r.t - k.t);
    };
    await openLogs();
    const end = Date.now() + SECONDS * 1000;
    let nextSample = Date.now();
    let nextReopen = Date.now() + 5000;
    while (Date.now() < end) {
      if (Date.now() >= nextSample) {
        const r = rss();
        out.rss.push(r);
        nextSample += 1000;
        if (r > RSS_STOP_MIB) {
          out.stopped = `stopped after ${out.rss.length} s: RSS ${r.toFixed(0)} MiB > ${RSS_STOP_MIB} MiB`;
          break;
        }
      }
      if (Date.now() >= nextReopen) {
        tmux('send-keys', '-t', 'b', 'i');
        await sleep(300);
        await openLogs();
        nextReopen = Date.now() + 5000;
        continue;
      }
      // Key to frame: t (timestamps on/off) changes the pane; the first render after the key.
      const before = marks().length;
      tmux('send-keys', '-t', 'b', 't');
      await sleep(250);
      const m = marks().slice(before);
      const k = m.find((x) => x.m === 'key');
      const r = k && m.find((x) => x.m === 'render' && x.t >= k.t);
      if (k && r) out.keys.push(r.t - k.t);
      else out.keysLost++;
    }
  } finally {
    try { tmux('send-keys', '-t', 'b', 'q'); } catch {}
    await sleep(300);
    spawnSync('tmux', ['-L', sock, 'kill-server']);
    spawnSync(process.execPath, [bin, 'rm', '-f', 'bench-flood'], { env });
  }
  return out;
}

try {
  const tar = path.join(root, 'busybox.tar');
  execFileSync('sh', [path.join(REPO, 'scripts/busybox-rootfs.sh'), tar], { stdio: 'ignore' });
  ctuiOf(path.join(REPO, 'bin', 'ctui.js'))('import', tar, 'busybox');
  const runs = [['this checkout', REPO], ...(process.env.BENCH_BASE ? [['base (BENCH_BASE)', process.env.BENCH_BASE]] : [])];
  const results = [];
  for (const [label, dir] of runs) {
    process.stderr.write(`${label}: ${SECONDS} s of \`yes\` into the selected container...\n`);
    results.push(await run(label, dir));
  }
  console.log(`Logs tab under a flood (busybox \`yes\`, ${SECONDS} s, tmux 80x24, ${os.cpus().length} cores)`);
  for (const r of results) {
    console.log(`\n${r.label}${r.stopped ? ` (${r.stopped})` : ''}`);
    console.log(`  RSS sampled each second: ${stat(r.rss, ' MiB')} (goal < 250 MiB)`);
    console.log(`  first line after l, on the screen: ${stat(r.firstScreen, ' ms')} (goal < 100 ms; includes tmux polling)`);
    console.log(`  first line after l, key to its frame (trace): ${stat(r.firstTrace, ' ms')}`);
    console.log(`  key to frame (t): ${stat(r.keys, ' ms')} (goal < 50 ms); keys with no frame within 250 ms: ${r.keysLost}`);
  }
  if (results.length === 2) {
    const [a, b] = results;
    const ratio = (x, y) => (Number.isFinite(x) && Number.isFinite(y) && y > 0 ? (x / y).toFixed(3) : 'n/a');
    console.log(`\nthis/base: RSS max ${ratio(Math.max(...a.rss), Math.max(...b.rss))}x, key-to-frame median ${ratio(q(a.keys, 0.5), q(b.keys, 0.5))}x, first line (screen) median ${ratio(q(a.firstScreen, 0.5), q(b.firstScreen, 0.5))}x`);
  }
} finally {
  spawnSync('sh', ['-c', `grep -o " ${root}[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l`]);
  fs.rmSync(root, { recursive: true, force: true });
}
