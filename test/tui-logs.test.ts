import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { assertPrivileged, CTUI, tuiScene, tuiPid, waitFor } from './helpers.js';

/**
 * The Logs tab of the real binary in tmux (80x24) over real busybox containers: scrolling as in less,
 * a scrolled view that holds still while the log grows, and a flooding container that must not take
 * the UI down.
 */
describe('the Logs tab, end to end (tmux 80x24)', () => {
  assertPrivileged();
  const scene = tuiScene('tui-logs', 'logs');
  const { s, t, sleep, esc } = scene;
  /** The log pane's lines: those between the tab bar and the info line (the last line of the pane). */
  const pane = (screen = t.screen()) => {
    const lines = screen.split('\n');
    const bar = lines.findIndex((l) => /Logs │ Inspect/.test(l));
    assert.ok(bar >= 0, `no tab bar on the screen:\n${screen}`);
    // 80x24 with the detail focused: 13 lines under the tab bar, the last one the info line.
    return { body: lines.slice(bar + 1, bar + 13), info: lines[bar + 13] ?? '' };
  };
  /** Selects the container by name (list filter) and opens its Logs tab. */
  const openLogs = async (name: string) => {
    await esc();
    await esc();
    t.keys('/');
    await sleep(100);
    t.keys('-l', name);
    t.keys('Enter');
    await sleep(300);
    t.keys('l');
    // The detail pane focused (its taller layout): the info line sits 13 lines under the tab bar.
    await waitFor(() => {
      try {
        return / lines( · |$)/.test(pane().info);
      } catch {
        return false;
      }
    }, 5000);
  };
  const bodyText = () => pane().body.map((l) => l.trimEnd());

  before(() => {
    s.ok(['run', '-d', '--name', 'counted', 'busybox', 'sh', '-c', 'i=1; while [ $i -le 200 ]; do echo "line $i"; i=$((i+1)); done; exec sleep 100000']);
    t.open(`env -i PATH=/usr/bin:/bin TERM=xterm CTUI_ROOT=${s.root} ${CTUI}`, 80, 24);
  });
  after(() => scene.close());

  it('scrolls as less does: up/k/PageUp go back, down/j/PageDown toward the end, g the first screenful, G the end', async () => {
    await t.waitFor(/counted/);
    await openLogs('counted');
    await t.waitFor(/line 200\s*\n/);
    assert.equal(bodyText().at(-1), 'line 200');
    t.keys('PageUp');
    await sleep(400);
    let body = bodyText();
    assert.ok(!body.includes('line 200'), `PageUp at the end must go back:\n${body.join('\n')}`);
    const up = Number(/line (\d+)/.exec(body.at(-1)!)?.[1]);
    assert.ok(up < 200 && up >= 180, `a page up from the end: ${body.at(-1)}`);
    t.keys('k');
    await sleep(300);
    assert.equal(bodyText().at(-1), `line ${up - 1}`, 'k goes one line back in time');
    t.keys('j');
    t.keys('j');
    await sleep(300);
    assert.equal(bodyText().at(-1), `line ${up + 1}`, 'j goes one line toward the end');
    t.keys('PageDown');
    t.keys('PageDown');
    await sleep(400);
    assert.equal(bodyText().at(-1), 'line 200', 'PageDown goes toward the end, and stops there');
    t.keys('g');
    await sleep(400);
    body = bodyText();
    assert.equal(body[0], 'line 1', `g: the first line at the top of the pane:\n${body.join('\n')}`);
    assert.equal(body[11], 'line 12', 'g: a full first screenful');
    t.keys('G');
    await sleep(400);
    assert.equal(bodyText().at(-1), 'line 200');
    assert.match(pane().info, /following/);
  });

  it('a scrolled-back view holds still while the log grows; G follows again', async () => {
    s.ok(['run', '-d', '--name', 'ticking', 'busybox', 'sh', '-c', 'i=1; while [ $i -le 60 ]; do echo "old $i"; i=$((i+1)); done; i=1; while :; do echo "tick $i"; i=$((i+1)); sleep 0.1; done']);
    await openLogs('ticking');
    await t.waitFor(/tick \d+\s*\n/);
    t.keys('PageUp');
    await sleep(300);
    const held = bodyText();
    await sleep(1500);
    assert.deepEqual(bodyText(), held, 'the view stays on its lines while new ones arrive');
    assert.match(pane().info, /paused · \d+ new lines \(G: follow\)/);
    const n = Number(/paused · (\d+) new/.exec(pane().info)![1]);
    assert.ok(n >= 5, `new lines counted while paused: ${pane().info}`);
    t.keys('G');
    await sleep(500);
    const last = Number(/tick (\d+)/.exec(bodyText().at(-1)!)?.[1]);
    await sleep(800);
    const later = Number(/tick (\d+)/.exec(bodyText().at(-1)!)?.[1]);
    assert.ok(later > last, `G follows again: tick ${last} then ${later}`);
    s.ok(['rm', '-f', 'ticking']);
  });

  it('a flooding container: lines show within 2 s, the RSS stays bounded, keys still answer', async (t2) => {
    s.ok(['run', '-d', '--name', 'flood', 'busybox', 'sh', '-c', 'while :; do echo $RANDOM; done']);
    try {
      await openLogs('flood');
      const t0 = Date.now();
      await t.waitFor(/^\d+\s*$/m, 2000);
      assert.ok(Date.now() - t0 <= 2000);
      assert.doesNotMatch(pane().info, /^0 lines/);
      const pid = tuiPid(s.root);
      assert.ok(pid, 'the TUI process');
      const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
      let peak = 0;
      for (let i = 0; i < 10; i++) {
        peak = Math.max(peak, rss());
        assert.ok(peak < 300, `RSS ${peak.toFixed(0)} MiB after ${i} s of the flood`);
        await sleep(1000);
      }
      // Keys still answer: help opens and closes, the panes switch.
      t.keys('?');
      await t.waitFor(/Keys \(1-\d+ of \d+/, 2000);
      await esc();
      t.keys('1');
      await t.waitFor(/REPOSITORY/, 2000);
      t.keys('2');
      await t.waitFor(/CONTAINER ID/, 2000);
      peak = Math.max(peak, rss());
      assert.ok(peak < 300, `RSS ${peak.toFixed(0)} MiB`);
      t2.diagnostic(`peak RSS over the flood: ${peak.toFixed(0)} MiB`);
    } finally {
      s.run(['rm', '-f', 'flood']);
    }
  });
});
