// The TUI's memory under churn (issue 12): the real binary in tmux at 80x24 over 1,000 containers
// while another process makes 1,000 events (run -d, stop, rm: create/start/kill/die/stop/destroy).
// RSS is sampled every second from /proc; after a warm-up (the first 100 events) it must stay within
// 10 % of where it was. The heap in use after a full GC (test/fixtures/heap-probe.mjs, on SIGUSR2)
// at the warm-up's end and at the end tells a leak (it grows) from V8 keeping garbage (it does not).
// Usage: node bench/tui-rss.mjs   (BENCH_TUI_ROOT=DIR reuses 1,000 containers; BENCH_TUI_BIN=PATH
// runs another checkout's bin/ctui.js, e.g. main's, in the same session; BENCH_EVENTS=N;
// BENCH_NODE_OPTIONS=more NODE_OPTIONS for the UI)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { benchStore, CTUI, REPO } from './store.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const EVENTS = Number(process.env.BENCH_EVENTS || 1000);
const WARMUP = 100;
const N = 1000;
const { root, env, ctui, have } = await benchStore('ctui-bench-rss-', N);


const events = path.join(root, 'events.jsonl');
const eventCount = () => {
  try {
    return fs.readFileSync(events, 'utf8').split('\n').length - 1;
  } catch {
    return 0;
  }
};
const probe = path.join(root, 'heap.jsonl');
fs.writeFileSync(probe, '');
const sock = `ctui-bench-rss-${process.pid}`;
const tmux = (...a) => execFileSync('tmux', ['-L', sock, ...a], { encoding: 'utf8' });
const nodeOptions = `--expose-gc --import=${path.join(REPO, 'test/fixtures/heap-probe.mjs')} ${process.env.BENCH_NODE_OPTIONS || ''}`;
tmux('new-session', '-d', '-s', 'b', '-x', '80', '-y', '24', `env CTUI_ROOT=${root} CTUI_HEAP_PROBE=${probe} NODE_OPTIONS='${nodeOptions}' ${process.execPath} ${CTUI}`);
const pid = Number(tmux('list-panes', '-t', 'b', '-F', '#{pane_pid}').trim());
const rss = () => Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;
const heap = async () => {
  const n = fs.readFileSync(probe, 'utf8').split('\n').filter(Boolean).length;
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 200 && fs.readFileSync(probe, 'utf8').split('\n').filter(Boolean).length <= n; i++) await sleep(25);
  return JSON.parse(fs.readFileSync(probe, 'utf8').trim().split('\n').at(-1));
};

// One lane: run -d, stop, rm, again, until the log has grown by `EVENTS` (two lanes: two cores).
let stop = false;
const lane = async (k) => {
  for (let i = 0; !stop; i++) {
    const name = `rss-${process.pid}-${k}-${i}`;
    for (const args of [['run', '-d', '--name', name, 'busybox', 'sleep', '1000'], ['stop', '-t', '0', name], ['rm', '-f', name]]) {
      await new Promise((r) => spawn(process.execPath, [CTUI, ...args], { env, stdio: 'ignore' }).on('exit', r));
    }
  }
};

try {
  for (let i = 0; i < 400 && !/Containers \(\d+\)/.test(tmux('capture-pane', '-p', '-t', 'b')); i++) await sleep(50);
  await sleep(1000);
  const opened = rss();
  const cpu = () => { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); };
  const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  const c0 = cpu();
  const e0 = eventCount();
  const lanes = [lane(0), lane(1)];
  const samples = [];
  let warm;
  let heapWarm;
  const t0 = Date.now();
  while (eventCount() - e0 < EVENTS) {
    await sleep(1000);
    const done = eventCount() - e0;
    if (warm === undefined && done >= WARMUP) {
      // RSS first: the probe's full GC would make the start look smaller than it was.
      warm = rss();
      heapWarm = await heap();
    }
    if (warm !== undefined) samples.push(rss());
    process.stderr.write(`\r${done} events, RSS ${rss().toFixed(0)} MiB   `);
  }
  stop = true;
  await Promise.all(lanes);
  const seconds = (Date.now() - t0) / 1000;
  const cpuSeconds = (cpu() - c0) / hz;
  await sleep(2000);
  const end = rss();
  const heapEnd = await heap();
  const peak = Math.max(...samples, end);
  const hwm = Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/)[1]) / 1024;
  const mib = (b) => (b / 1048576).toFixed(1);
  process.stderr.write('\n');
  console.log(`binary: ${CTUI}`);
  console.log(`containers: ${have}; events: ${eventCount() - e0} in ${seconds.toFixed(0)} s from two other processes; the UI used ${cpuSeconds.toFixed(1)} s of CPU (${(cpuSeconds / seconds * 100).toFixed(0)} %)`);
  console.log(`RSS: ${opened.toFixed(0)} MiB opened, ${warm.toFixed(0)} MiB after ${WARMUP} events (start), ${end.toFixed(0)} MiB at the end, peak ${peak.toFixed(0)} MiB (VmHWM ${hwm.toFixed(0)} MiB)`);
  console.log(`RSS end/start ${(end / warm).toFixed(2)}, peak/start ${(peak / warm).toFixed(2)} (goal: within 1.10)`);
  console.log(`heap after a full GC: ${mib(heapWarm.heapUsed)} MiB at the start, ${mib(heapEnd.heapUsed)} MiB at the end; performance entries ${heapWarm.perfEntries} -> ${heapEnd.perfEntries}`);
  console.log(end / warm <= 1.1 && peak / warm <= 1.1 ? 'flat: yes' : 'flat: NO');
} finally {
  stop = true;
  try {
    tmux('send-keys', '-t', 'b', 'q');
  } catch {}
  await sleep(300);
  spawnSync('tmux', ['-L', sock, 'kill-server']);
  spawnSync('sh', ['-c', `${process.execPath} ${CTUI} ps -aq --filter name=rss-${process.pid}- | xargs -r ${process.execPath} ${CTUI} rm -f`], { env });
  if (!process.env.BENCH_TUI_ROOT) {
    spawnSync('sh', ['-c', `grep -o " ${root}[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l`]);
    fs.rmSync(root, { recursive: true, force: true });
  }
}
