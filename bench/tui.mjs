// TUI budgets (DESIGN §6, issue 12): first frame with 1,000 containers (<= 0.35 s, median of
// BENCH_TUI_RUNS launches), key press to next frame in a 1,000-row list (median <= 20 ms, p99 <= 50 ms
// over 100 keys), idle CPU with 1,000 containers and a followed log (<= 0.5 %): once with nothing on
// screen changing, once while a shown "Up N seconds" counts (one frame a second). The real binary in
// tmux at 80x24, timed from inside through CTUI_TUI_TRACE (ms since the process started: node's own
// start-up counts).
// Usage: node bench/tui.mjs   (BENCH_TUI_ROOT=DIR keeps and reuses the 1,000 containers;
// BENCH_TUI_BIN=PATH runs another checkout's bin/ctui.js, e.g. main's, in the same session)
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { benchStore, CTUI } from './store.mjs';

const RUNS = Number(process.env.BENCH_TUI_RUNS || 5);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const N = 1000;
const { root, env, ctui, have } = await benchStore('ctui-bench-tui-', N);

// The newest container (selected first, its Logs tab followed): a quiet running one. Started first,
// so that by the idle phase its "Up About a minute" no longer changes every second.
spawnSync(process.execPath, [CTUI, 'rm', '-f', 'bench-log', 'bench-tick'], { env });
ctui('run', '-d', '--name', 'bench-log', 'busybox', 'sh', '-c', 'echo started; exec sleep 100000');
const logStarted = Date.now();

const trace = path.join(root, 'trace.txt');
const sock = `ctui-bench-${process.pid}`;
const tmux = (...a) => execFileSync('tmux', ['-L', sock, ...a], { encoding: 'utf8' });
const marks = () => fs.readFileSync(trace, 'utf8').trim().split('\n').filter(Boolean).map((l) => { const [t, m] = l.split(' '); return { t: Number(t), m }; });
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const launch = async () => {
  fs.writeFileSync(trace, '');
  tmux('new-session', '-d', '-s', 'b', '-x', '80', '-y', '24', `env CTUI_ROOT=${root} CTUI_TUI_TRACE=${trace} ${process.execPath} ${CTUI}`);
  const t0 = Date.now();
  while (!marks().some((x) => x.m === 'render') && Date.now() - t0 < 20_000) await sleep(20);
  await sleep(1500);
  const screen = tmux('capture-pane', '-p', '-t', 'b');
  if (!/Containers \(100\d\)/.test(screen)) throw new Error(`the list is not on screen:\n${screen}`);
  return marks().find((x) => x.m === 'render').t;
};
const quit = async () => {
  try { tmux('send-keys', '-t', 'b', 'q'); } catch {}
  await sleep(500);
  spawnSync('tmux', ['-L', sock, 'kill-server']);
};
try {
  // First frame: RUNS launches (the first one also warms the page cache), the median.
  const firsts = [];
  for (let i = 0; i < RUNS; i++) {
    firsts.push(await launch());
    if (i < RUNS - 1) await quit();
  }

  // Key press to frame: 100 keys 150 ms apart, each one moving the selection: nine j (down) and a G
  // (the end), then nine k (up) and a g (the top), and again; each key's first render after it.
  const lat = [];
  for (let i = 0; i < 100; i++) {
    const before = marks().length;
    const down = Math.floor(i / 10) % 2 === 0;
    tmux('send-keys', '-t', 'b', i % 10 === 9 ? (down ? 'G' : 'g') : down ? 'j' : 'k');
    await sleep(150);
    const m = marks().slice(before);
    const k = m.find((x) => x.m === 'key');
    const r = k && m.find((x) => x.m === 'render' && x.t >= k.t);
    if (k && r) lat.push(r.t - k.t);
  }
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];

  // Idle: back to the top (the followed log), bench-log past its first minute, then 10 s of nothing.
  tmux('send-keys', '-t', 'b', 'g');
  await sleep(Math.max(2000, logStarted + 62_000 - Date.now()));
  const pid = tmux('list-panes', '-t', 'b', '-F', '#{pane_pid}').trim();
  const cpu = () => { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); };
  const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  const idleFor = async () => {
    const c0 = cpu();
    const w0 = Date.now();
    const r0 = marks().filter((x) => x.m === 'render').length;
    await sleep(10_000);
    return { cpu: ((cpu() - c0) / hz) / ((Date.now() - w0) / 1000) * 100, renders: marks().filter((x) => x.m === 'render').length - r0 };
  };
  const idle = await idleFor();
  // A container in its first minute on screen: "Up N seconds" is redrawn once a second.
  ctui('run', '-d', '--name', 'bench-tick', 'busybox', 'sleep', '100000');
  await sleep(2000);
  const ticking = await idleFor();
  const rss = Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;

  console.log(`binary: ${CTUI}`);
  console.log(`containers: ${have}`);
  console.log(`first frame: median ${(median(firsts) / 1000).toFixed(3)} s after process start over ${firsts.length} launches (${firsts.map((f) => (f / 1000).toFixed(3)).join(' ')}) (goal <= 0.35 s)`);
  console.log(`key to frame: median ${q(0.5).toFixed(1)} ms, p90 ${q(0.9).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms, max ${lat[lat.length - 1].toFixed(1)} ms over ${lat.length} keys (goal median <= 20 ms, p99 <= 50 ms)`);
  console.log(`idle CPU over 10 s (1,000 containers, Logs tab following a running container, no shown time changing): ${idle.cpu.toFixed(2)} %, ${idle.renders} frames (goal <= 0.5 %)`);
  console.log(`idle CPU over 10 s while a shown "Up N seconds" counts: ${ticking.cpu.toFixed(2)} %, ${ticking.renders} frames`);
  console.log(`RSS: ${rss.toFixed(0)} MiB`);
} finally {
  await quit();
  spawnSync(process.execPath, [CTUI, 'rm', '-f', 'bench-log', 'bench-tick'], { env });
  if (!process.env.BENCH_TUI_ROOT) {
    spawnSync('sh', ['-c', `grep -o " ${root}[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l`]);
    fs.rmSync(root, { recursive: true, force: true });
  }
}
