import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { CTUI_JS, NODE, REPO, storeWithBusybox, Tmux, waitFor } from './helpers.js';

/**
 * The TUI over time (issue 12): its heap does not grow with the store's events, the relative times
 * on screen keep up with the clock, and nothing renders while nothing on screen changes. The real
 * binary in tmux at 80x24, over a private store.
 */
describe('TUI: memory and clock over time', () => {
  const s = storeWithBusybox('tui-perf');
  const t = new Tmux('perf');
  after(() => {
    t.kill();
    s.run(['rm', '-f', 'ticker']);
    s.cleanup();
  });
  afterEach(() => t.kill());

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const open = (env: Record<string, string> = {}) => {
    const vars = Object.entries({ CTUI_ROOT: s.root, XDG_CONFIG_HOME: path.join(s.root, 'xdg'), ...env }).map(([k, v]) => `${k}='${v}'`);
    // The bundled Node without the launcher: the heap probe comes in through NODE_OPTIONS, which the launcher drops.
    t.open(`env ${vars.join(' ')} ${NODE} ${CTUI_JS}`, 80, 24);
    return Number(t.cmd('list-panes', '-t', 'perf', '-F', '#{pane_pid}').trim());
  };

  it('the heap stays flat over 40 containers created from another process (no performance entry kept per render)', async () => {
    const probe = path.join(s.root, 'heap.jsonl');
    fs.writeFileSync(probe, '');
    const pid = open({ CTUI_HEAP_PROBE: probe, NODE_OPTIONS: `--expose-gc --import=${path.join(REPO, 'test/fixtures/heap-probe.mjs')}` });
    await t.waitFor(/Containers \(0\)/, 20_000);
    const sample = async () => {
      const before = fs.readFileSync(probe, 'utf8').split('\n').filter(Boolean).length;
      process.kill(pid, 'SIGUSR2');
      await waitFor(() => fs.readFileSync(probe, 'utf8').split('\n').filter(Boolean).length > before, 10_000);
      return JSON.parse(fs.readFileSync(probe, 'utf8').trim().split('\n').at(-1)!) as { heapUsed: number; rss: number; perfEntries: number; gc: boolean };
    };
    // Warm-up: the first events compile and size what every later one reuses.
    for (let i = 0; i < 5; i++) s.ok(['create', 'busybox', 'true']);
    await t.waitFor(/Containers \(5\)/, 20_000);
    await sleep(500);
    const start = await sample();
    assert.ok(start.gc, 'the probe could not collect garbage (--expose-gc)');
    for (let i = 0; i < 40; i++) s.ok(['create', 'busybox', 'true']);
    await t.waitFor(/Containers \(45\)/, 30_000);
    await sleep(500);
    const end = await sample();
    const grown = (end.heapUsed - start.heapUsed) / 1048576;
    // 40 more containers' rows and summaries are well under 1 MB; React's development build kept
    // ~0.5 MB per event here, never collected.
    assert.ok(grown < 4, `heap after GC grew ${grown.toFixed(1)} MiB over 40 events (${start.perfEntries} -> ${end.perfEntries} performance entries)`);
    assert.equal(end.perfEntries, 0);
  });

  it('nothing renders while nothing on screen changes (created containers, no time shown at 80 columns)', async () => {
    const trace = path.join(s.root, 'idle-trace.txt');
    fs.writeFileSync(trace, '');
    open({ CTUI_TUI_TRACE: trace });
    await t.waitFor(/Containers \(45\)/, 20_000);
    // Let the first frames settle (the SIZE column is measured once after the first frame).
    await sleep(2500);
    const renders = () => fs.readFileSync(trace, 'utf8').split('\n').filter((l) => l.endsWith(' render')).length;
    const before = renders();
    await sleep(4000);
    assert.equal(renders() - before, 0, fs.readFileSync(trace, 'utf8'));
  });

  it('"Up N seconds" counts every second, not every 30 s', async () => {
    s.ok(['run', '-d', '--name', 'ticker', 'busybox', 'sleep', '1000']);
    open();
    const first = await t.waitFor(/Up (\d+|Less than a) second/, 20_000);
    const seen = new Set<string>();
    const end = Date.now() + 5000;
    for (let screen = first; Date.now() < end; screen = t.screen()) {
      const m = /Up (\d+ seconds|1 second|Less than a second)/.exec(screen);
      if (m) seen.add(m[1]!);
      await sleep(100);
    }
    // Five seconds of a container's first minute: at least four different texts (one per second,
    // a late frame on a loaded machine aside).
    assert.ok(seen.size >= 4, `saw only: ${[...seen].join(', ')}`);
  });
});
