import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { EmbeddedEngine } from '../src/core/embedded.js';
import type { Session } from '../src/core/engine.js';
import { assertPrivileged, storeWithBusybox, waitFor } from './helpers.js';

/**
 * engine.containers.execSession: an exec with a tty driven over streams (what the TUI's pane uses),
 * through ctui-monitor --exec-tty, with both runtimes.
 */
describe('exec sessions over streams (the pane exec)', () => {
  assertPrivileged();
  const s = storeWithBusybox('execsession');
  let engine: EmbeddedEngine;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  before(async () => {
    s.ok(['run', '-d', '--name', 'own', 'busybox', 'sleep', '100000']);
    s.ok(['run', '-d', '--name', 'viarunc', '--runtime', 'runc', 'busybox', 'sleep', '100000']);
    engine = await EmbeddedEngine.open(s.root);
  });
  after(() => {
    s.run(['rm', '-f', 'own', 'viarunc']);
    s.cleanup();
  });

  /** A session whose screen is collected as text. */
  async function open(name: string, cmd: string[], size = { rows: 30, cols: 100 }, detachKeys?: string) {
    const input = new PassThrough();
    let screen = '';
    const stdout = new Writable({ write: (c: Buffer, _e, cb) => void ((screen += c.toString('utf8')), cb()) });
    const session: Session = await engine.containers.execSession(name, { cmd, stdin: input, stdout, size, ...(detachKeys ? { detachKeys } : {}) });
    return { session, type: (t: string) => input.write(t), screen: () => screen, until: (re: RegExp) => waitFor(() => re.test(screen), 10_000) };
  }
  const shells = (name: string) => s.ok(['top', name]).split('\n').filter((l) => /\bsh\s*$/.test(l)).length;

  for (const name of ['own', 'viarunc']) {
    it(`${name}: a tty of the given size that follows resize(); keys in, screen out; the exit code`, async () => {
      const x = await open(name, ['sh']);
      await sleep(200);
      x.type('tty; stty size\r');
      await x.until(/\/dev\/pts\/\d+\r\n30 100\r\n/);
      x.session.resize(12, 40);
      await sleep(100);
      x.type('stty size\r');
      await x.until(/12 40\r\n/);
      // ctrl-c is a byte for the tty: the foreground command is interrupted, the shell stays.
      x.type('sleep 50\r');
      await sleep(300);
      x.type('\x03');
      x.type('echo after-$?\r');
      await x.until(/after-130/);
      x.type('exit 7\r');
      assert.deepEqual(await x.session.done, { kind: 'exit', code: 7 });
      assert.equal(shells(name), 0);
    });

    it(`${name}: a command that cannot start rejects with docker's code and the runtime's reason; a process exiting 127 itself does not`, async () => {
      const x = await open(name, ['no-such-command']);
      await assert.rejects(x.session.done, (err: Error & { exitCode?: number }) => {
        assert.match(err.message, /no-such-command.*not found/);
        assert.doesNotMatch(err.message, /^err |level=|time=/);
        assert.equal(err.exitCode, 127);
        return true;
      });
      const y = await open(name, ['sh', '-c', 'no-such-thing; exit 127']);
      assert.deepEqual(await y.session.done, { kind: 'exit', code: 127 });
    });

    it(`${name}: detach() and the detach keys hang the terminal up; the process goes, the container stays`, async () => {
      const a = await open(name, ['sh']);
      await waitFor(() => shells(name) === 1);
      a.session.detach();
      assert.deepEqual(await a.session.done, { kind: 'detach' });
      await waitFor(() => shells(name) === 0);
      const b = await open(name, ['sh'], undefined, 'ctrl-x,x');
      await waitFor(() => shells(name) === 1);
      b.type('echo one\r\x18x');
      assert.deepEqual(await b.session.done, { kind: 'detach' });
      await waitFor(() => shells(name) === 0);
      assert.equal(s.ok(['inspect', '-f', '{{.State.Status}}', name]).trim(), 'running');
      // Nothing of the session is left in the container's directory.
      const dir = fs.readdirSync(`${s.root}/containers/${s.ok(['inspect', '-f', '{{.Id}}', name]).trim()}`);
      assert.deepEqual(dir.filter((f) => f.startsWith('exec-')), []);
    });
  }

  it('a flood into a reader that stops reading: memory stays bounded, and detach still ends it at once', async () => {
    const input = new PassThrough();
    let got = 0;
    // Takes 64 KiB, then never acknowledges again (a stuck screen).
    const stdout = new Writable({ highWaterMark: 16 * 1024, write: (c: Buffer, _e, cb) => { got += c.length; if (got < 64 * 1024) cb(); } });
    const x = await engine.containers.execSession('own', { cmd: ['yes'], stdin: input, stdout, size: { rows: 10, cols: 40 } });
    await sleep(500);
    const rss0 = process.memoryUsage().rss;
    await sleep(1000);
    assert.ok(process.memoryUsage().rss - rss0 < 20 * 1024 * 1024, 'ctui does not buffer the flood');
    assert.ok(got < 1024 * 1024, `the reader took what it asked for (${got})`);
    const t0 = Date.now();
    x.detach();
    assert.deepEqual(await x.done, { kind: 'detach' });
    assert.ok(Date.now() - t0 < 2000, `ended at once (${Date.now() - t0} ms)`);
    await waitFor(() => !/\byes\s*$/m.test(s.ok(['top', 'own'])), 5000);
  });

  it('the UI going away (killed) hangs the exec up: no process left behind', async () => {
    // A separate node holds the session and is SIGKILLed: the proxy dies with it (PDEATHSIG), the pty
    // master closes, the kernel hangs up the shell.
    const script = `
      import { EmbeddedEngine } from '${new URL('../src/core/embedded.ts', import.meta.url).pathname}';
      import { PassThrough, Writable } from 'node:stream';
      const e = await EmbeddedEngine.open(${JSON.stringify(s.root)});
      await e.containers.execSession('own', { cmd: ['sh'], stdin: new PassThrough(), stdout: new Writable({ write: (c, _e, cb) => cb() }), size: { rows: 10, cols: 10 } });
      console.log('open');
      setInterval(() => {}, 1000);
    `;
    const file = `${s.root}/holder.mts`;
    fs.writeFileSync(file, script);
    const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('open') && resolve()));
    await waitFor(() => shells('own') === 1);
    child.kill('SIGKILL');
    await waitFor(() => shells('own') === 0);
  });
});
