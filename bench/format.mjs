// --format's cost (issue 13): `ps -a` over 200 containers plain and with --format (a plain template and a
// table), `inspect -f` of 20 containers, beside `node -e 0`, medians of interleaved runs. BENCH_BASE_BIN=PATH
// runs another checkout's bin/ctui.js (e.g. main's, built) in the same run, for a before/after ratio.
// Usage: node bench/format.mjs [runs]   (BENCH_TUI_ROOT=DIR reuses the 200 containers)
import { spawnSync } from 'node:child_process';
import { benchStore, CTUI } from './store.mjs';

const RUNS = Number(process.argv[2] ?? 21);
const { env, ctui } = await benchStore('ctui-bench-format-', 200);
const ids = ctui('ps', '-aq').trim().split('\n').slice(0, 20);
const bins = { ctui: CTUI, ...(process.env.BENCH_BASE_BIN ? { base: process.env.BENCH_BASE_BIN } : {}) };
const cases = {
  'ps -a': ['ps', '-a'],
  'ps -a --format plain': ['ps', '-a', '--format', '{{.ID}} {{.Names}} {{.Status}}'],
  'ps -a --format table': ['ps', '-a', '--format', 'table {{.Names}}\\t{{.Status}}\\t{{.Image}}'],
  'inspect -f (20)': ['inspect', '-f', '{{.Name}} {{.State.Status}} {{json .Mounts}}', ...ids],
};
const times = {};
const once = (key, argv) => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${key}: ${r.stderr}`);
  (times[key] ??= []).push(Number(process.hrtime.bigint() - t0) / 1e6);
};
for (let i = 0; i < RUNS; i++) {
  once('node -e 0', ['-e', '0']);
  for (const [name, args] of Object.entries(cases)) for (const [b, bin] of Object.entries(bins)) once(`${name} [${b}]`, [bin, ...args]);
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const node = median(times['node -e 0']);
console.log(`node -e 0: ${node.toFixed(1)} ms (${RUNS} runs, medians)`);
for (const name of Object.keys(cases)) {
  const c = median(times[`${name} [ctui]`]);
  const base = bins.base ? median(times[`${name} [base]`]) : undefined;
  console.log(`${name.padEnd(24)} ${c.toFixed(1)} ms (node + ${(c - node).toFixed(1)})${base !== undefined ? `, base ${base.toFixed(1)} ms, ratio ${(c / base).toFixed(2)}` : ''}`);
}
