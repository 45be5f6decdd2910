import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { assertPrivileged, CTUI, storeWithBusybox, Tmux } from './helpers.js';

/** `run -it` in a real terminal (tmux). */
describe('run -it gives a real terminal', () => {
  assertPrivileged();
  const s = storeWithBusybox('pty');
  const dir = s.root;
  const t = new Tmux('pty');
  after(() => {
    t.kill();
    s.cleanup();
  });

  it('with the window size, ctrl-c reaching the container, the exit code and the terminal restored', async () => {
    t.open(`env -i PATH=/usr/bin:/bin TERM=xterm PS1='outer$ ' CTUI_ROOT=${dir} bash --norc --noprofile`);
    await t.waitFor(/outer\$/);
    t.type(`stty -a > ${dir}/stty.before; ${CTUI} run --rm -it busybox sh`);
    await t.waitFor(/^\/ #/m);
    t.type('tty; stty size; echo $$');
    const screen = await t.waitFor(/\/dev\/pts\/0\n30 100\n1\n/);
    assert.match(screen, /\/dev\/pts\/0/);
    t.type('sleep 100');
    await new Promise((r) => setTimeout(r, 300));
    t.keys('C-c');
    t.type('echo rc=$?');
    await t.waitFor(/rc=130/);
    // Resizing the outer window reaches the container.
    t.cmd('resize-window', '-t', 'pty', '-x', '90', '-y', '25');
    await new Promise((r) => setTimeout(r, 300));
    t.type('stty size');
    await t.waitFor(/25 90/);
    t.type('exit 5');
    await t.waitFor(/outer\$\s*$/);
    t.type(`echo outer=$?; stty -a > ${dir}/stty.after`);
    await t.waitFor(/outer=5/);
    await new Promise((r) => setTimeout(r, 200));
    // stty -a mentions the size, which we changed on purpose: compare the modes only.
    const modes = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').slice(1).join('\n');
    assert.equal(modes('stty.after'), modes('stty.before'));
  });
});
