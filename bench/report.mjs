// Prints medians and the ratios the budgets are stated in (from hyperfine's JSON exports).
import { readFileSync } from 'node:fs';

const results = process.argv.slice(2).flatMap((f) => JSON.parse(readFileSync(f, 'utf8')).results);
const med = (name) => results.find((r) => r.command === name)?.median;
const ms = (s) => (s === undefined ? 'n/a' : `${(s * 1000).toFixed(1)} ms`);
const rows = results.map((r) => `| ${r.command} | ${ms(r.median)} | ${ms(r.min)} |`);
console.log('| command | median | min |\n|---|---|---|\n' + [...new Set(rows)].join('\n'));
const ratio = (a, b) => (a === undefined || b === undefined ? 'n/a' : `${(a / b).toFixed(2)}x`);
const best = (...xs) => Math.min(...xs.filter((x) => x !== undefined));
const storage = [
  // Issue 13's budgets (issue 5 had 0.8x save/load and 0.5x prune).
  ['commit (100 MB, 1,000 files)', 'docker', 0.8],
  ['save (100 MB image)', 'best', 0.4],
  ['load (100 MB image)', 'best', 0.4],
  ['container prune (200)', 'docker', 0.35],
];
for (const [what, peer, goal] of storage) {
  const c = med(`ctui ${what}`);
  if (c === undefined) continue;
  const d = med(`docker ${what}`);
  const p = med(`podman ${what}`);
  const ref = peer === 'docker' ? d : best(d, p);
  console.log(`${what}: ctui ${ms(c)}, docker ${ms(d)}, podman ${ms(p)}: ctui / ${peer === 'docker' ? 'docker' : 'best peer'} = ${ratio(c, ref)} (goal <= ${goal}x)`);
}
// Per call (issue 13): against `node -e 0` of the Node ctui runs on, and podman, in the same run.
const node = med('node -e 0');
const ctui = med('ctui run --rm');
const podman = med('podman run --rm (runc)');
if (ctui === undefined) process.exit(0);
const verdict = (ok) => (ok ? 'met' : 'NOT MET');
console.log('');
console.log(`run --rm: ctui - node = ${ms(ctui - node)} (goal <= 30 ms: ${verdict(ctui - node <= 0.03)}); ctui / podman = ${ratio(ctui, podman)} (goal <= 0.6x: ${verdict(ctui / podman <= 0.6)})`);
const create = med('ctui create');
if (create !== undefined) console.log(`create: ctui - node = ${ms(create - node)} (goal <= 20 ms: ${verdict(create - node <= 0.02)}); podman create ${ms(med('podman create'))}`);
const ps = med('ctui ps -a (200 containers)');
if (ps !== undefined) console.log(`ps -a with 200: ctui - node = ${ms(ps - node)} (goal <= 25 ms: ${verdict(ps - node <= 0.025)}); podman ps -a (200) ${ms(med('podman ps -a (200 containers)'))}`);
