import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { CTUI, assertPrivileged, storeWithBusybox } from './helpers.js';

const CHANGES = [
  'echo hi > /etc/newfile',
  'echo changed >> /etc/passwd',
  'rm /etc/group',
  'rm -rf /usr',
  'mkdir -p /opt/a/b && echo deep > /opt/a/b/f',
  'ln /etc/newfile /etc/hardlink',
  'ln -s /etc/newfile /etc/symlink',
  'mkfifo /tmp/fifo',
  'chmod 4711 /opt/a/b/f',
  'chown 1000:1000 /opt/a',
].join(' && ');

describe('commit, diff and export', () => {
  assertPrivileged();
  const s = storeWithBusybox('commit');
  after(() => {
    s.run(['rm', '-f', ...s.ok(['ps', '-aq']).trim().split('\n').filter(Boolean)]);
    s.cleanup();
  });

  it('a fresh container has no changes (the runtime\'s mount points are not changes)', () => {
    s.ok(['run', '--name', 'fresh', 'busybox', 'true']);
    assert.equal(s.ok(['diff', 'fresh']), '');
  });

  it('diff prints A/C/D lines as docker does', () => {
    s.ok(['run', '--name', 'work', 'busybox', 'sh', '-c', CHANGES]);
    const lines = s.ok(['diff', 'work']).trim().split('\n');
    for (const l of ['C /etc', 'A /etc/newfile', 'C /etc/passwd', 'D /etc/group', 'D /usr', 'A /opt', 'A /opt/a/b/f', 'A /tmp/fifo', 'A /etc/symlink']) {
      assert.ok(lines.includes(l), `${l} in:\n${lines.join('\n')}`);
    }
    assert.ok(!lines.some((l) => /hosts|hostname|resolv/.test(l)), 'no runtime mount points');
    const paths = lines.map((l) => l.slice(2));
    assert.deepEqual([...paths].sort(), paths, 'sorted by path');
  });

  it('commit makes an image with the changes and without the deleted files; the base is untouched', () => {
    const before = s.ok(['image', 'inspect', '-f', '{{json .RootFS.Layers}}', 'busybox']);
    const id = s.ok(['commit', '-a', 'Ann <ann@example.com>', '-m', 'my change', '-c', 'ENV FOO=bar', '-c', 'CMD ["cat","/etc/newfile"]', 'work', 'mine:1']).trim();
    assert.match(id, /^sha256:[0-9a-f]{64}$/);
    assert.equal(s.ok(['run', '--rm', 'mine:1']), 'hi\n', 'CMD from --change');
    const out = s.ok(['run', '--rm', 'mine:1', 'sh', '-c',
      'echo $FOO; tail -1 /etc/passwd; ls /etc/group 2>&1; ls /usr 2>&1; cat /opt/a/b/f; stat -c "%a %u:%g" /opt/a/b/f /opt/a; ' +
      'stat -c %h /etc/hardlink; readlink /etc/symlink; [ -p /tmp/fifo ] && echo fifo']);
    assert.equal(out, [
      'bar', 'changed', 'ls: /etc/group: No such file or directory', 'ls: /usr: No such file or directory', 'deep',
      '4711 0:0', '755 1000:1000', '2', '/etc/newfile', 'fifo', '',
    ].join('\n'));
    assert.equal(s.ok(['image', 'inspect', '-f', '{{json .RootFS.Layers}}', 'busybox']), before, 'base image unchanged');
    const img = JSON.parse(s.ok(['image', 'inspect', 'mine:1']))[0];
    assert.equal(img.Author, 'Ann <ann@example.com>');
    assert.equal(img.Comment, 'my change');
    assert.equal(img.RootFS.Layers.length, JSON.parse(before).length + 1);
    const hist = s.ok(['history', '--format', '{{.CreatedBy}}|{{.Comment}}', '--no-trunc', 'mine:1']).split('\n');
    assert.match(hist[0]!, /^sh -c echo hi.*\|my change$/);
    // The runtime's /etc/hosts mount point is not carried into the image.
    assert.equal(s.run(['run', '--rm', '--entrypoint', 'sh', 'mine:1', '-c', 'true']).status, 0);
  });

  it('opaque directories stay opaque, whiteouts stay whiteouts, across two commits', () => {
    s.ok(['run', '--name', 'op1', 'busybox', 'sh', '-c', 'mkdir -p /data && echo old > /data/old && echo keep > /data/keep']);
    s.ok(['commit', 'op1', 'op:1']);
    s.ok(['run', '--name', 'op2', 'op:1', 'sh', '-c', 'rm -rf /data && mkdir /data && echo new > /data/new']);
    const d = s.ok(['diff', 'op2']);
    assert.match(d, /^D \/data$/m, 'an opaque directory over an old one is a deletion');
    assert.match(d, /^A \/data\/new$/m);
    s.ok(['commit', 'op2', 'op:2']);
    assert.equal(s.ok(['run', '--rm', 'op:2', 'ls', '/data']), 'new\n');
  });

  it('pauses a running container while committing, and -p=false does not', () => {
    s.ok(['run', '-d', '--name', 'live', 'busybox', 'sh', '-c', 'echo x > /x; sleep 60']);
    s.ok(['commit', 'live', 'live:1']);
    assert.equal(s.ok(['inspect', '-f', '{{.State.Status}}', 'live']).trim(), 'running', 'thawed afterwards');
    s.ok(['commit', '-p=false', 'live', 'live:2']);
    assert.equal(s.ok(['run', '--rm', 'live:2', 'cat', '/x']), 'x\n');
    const events = s.ok(['events', '--since', '0', '--until', '0s', '--filter', 'container=live', '--format', '{{.Action}}']);
    assert.match(events, /commit/);
    s.ok(['rm', '-f', 'live']);
  });

  it('commit -p=false of a container racing a directory for a symlink never copies host files into the image', () => {
    // The container swaps /x between a real directory holding f and a symlink to a host path holding
    // a secret f. A packer that followed the symlink (docker cp's CVE-2018-15664 class) would put the
    // host's secret into the image.
    const secret = fs.mkdtempSync(path.join(os.tmpdir(), 'ctui-hostsecret-'));
    fs.writeFileSync(path.join(secret, 'f'), 'HOST SECRET\n');
    try {
      s.ok(['run', '-d', '--name', 'racer', 'busybox', 'sh', '-c',
        `while true; do rm -rf /x; mkdir /x; echo mine > /x/f; rm -rf /x; ln -s ${secret} /x; done`]);
      let made = 0;
      for (let i = 0; i < 15; i++) {
        const r = s.run(['commit', '-p=false', 'racer', `race:${i}`]);
        if (r.status !== 0) {
          assert.match(r.stderr, /changed while it was being read|No such file/, r.stderr);
          continue;
        }
        made++;
        const out = s.ok(['run', '--rm', '--entrypoint', 'sh', `race:${i}`, '-c', 'cat /x/f 2>/dev/null; readlink /x; true']);
        assert.ok(!out.includes('HOST SECRET'), `image race:${i} holds the host's file: ${out}`);
      }
      assert.ok(made > 0, 'some commits went through');
    } finally {
      s.run(['rm', '-f', 'racer']);
      fs.rmSync(secret, { recursive: true, force: true });
    }
  });

  it('an aborted commit (esc in the TUI) stops within a chunk, leaves the store as it was and the container thawed; the event loop keeps turning meanwhile', async () => {
    s.ok(['run', '-d', '--name', 'bigone', 'busybox', 'sh', '-c', 'dd if=/dev/zero of=/big bs=1M count=300 2>/dev/null; sleep 100000']);
    const sizeOf = () => s.ok(['exec', 'bigone', 'sh', '-c', 'wc -c < /big 2>/dev/null || echo 0']).trim();
    for (let i = 0; i < 100 && sizeOf() !== String(300 * 1024 * 1024); i++) await new Promise((r) => setTimeout(r, 100));
    const { EmbeddedEngine } = await import('../src/core/embedded.js');
    const engine = await EmbeddedEngine.open(s.root);
    const images = s.ok(['images', '-q', '--no-trunc']);
    const layers = fs.readdirSync(path.join(s.root, 'layers')).sort();
    const ac = new AbortController();
    // The abort comes from a timer, after it has fired a few times: a commit that held the event loop
    // for its whole length (the UI frozen, esc unread) would finish instead of being cancelled. Counting
    // ticks from the start instead was at the mercy of the first modules' load (tsx compiling them on
    // the main thread under Node 24: ~100 ms before the first chunk).
    let ticks = 0;
    let abortedAt = 0;
    const tick = setInterval(() => {
      if (++ticks === 5) {
        abortedAt = Date.now();
        ac.abort();
      }
    }, 5);
    await assert.rejects(engine.containers.commit('bigone', { reference: 'never:there', signal: ac.signal }), /cancelled/);
    clearInterval(tick);
    assert.ok(abortedAt > 0, 'the commit ended before the abort');
    assert.ok(Date.now() - abortedAt < 2000, `stopped soon after the abort (${Date.now() - abortedAt} ms)`);
    assert.equal(s.ok(['images', '-q', '--no-trunc']), images);
    assert.deepEqual(fs.readdirSync(path.join(s.root, 'layers')).sort(), layers);
    assert.equal(s.ok(['inspect', '-f', '{{.State.Status}}', 'bigone']).trim(), 'running');
    s.ok(['rm', '-f', 'bigone']);
  });

  it('a commit of an unchanged container adds docker\'s empty layer', () => {
    s.ok(['commit', 'fresh', 'same:1']);
    const layers = JSON.parse(s.ok(['image', 'inspect', '-f', '{{json .RootFS.Layers}}', 'same:1'])) as string[];
    assert.equal(layers.at(-1), 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef');
  });

  it('bad input: one line, exit code, store unchanged', () => {
    const before = s.snapshot();
    const r1 = s.run(['commit', 'nosuch', 'x:1']);
    assert.equal(r1.status, 1);
    assert.equal(r1.stderr.trim().split('\n').length, 1);
    assert.match(r1.stderr, /No such container: nosuch/);
    const r2 = s.run(['commit', 'work', 'Bad Name!']);
    assert.notEqual(r2.status, 0);
    assert.equal(r2.stderr.trim().split('\n').length, 1);
    const r3 = s.run(['commit', '-c', 'FROB x', 'work', 'x:1']);
    assert.notEqual(r3.status, 0);
    assert.equal(s.run(['diff', 'nosuch']).status, 1);
    assert.deepEqual(s.snapshot(), before);
  });

  it('export writes the flattened filesystem; import of it runs the same', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctui-export-'));
    try {
      const file = path.join(dir, 'work.tar');
      s.ok(['export', '-o', file, 'work']);
      const list = fs.readFileSync(file);
      assert.ok(!list.includes(Buffer.from('.wh.')), 'no whiteouts in an export');
      const piped = path.join(dir, 'piped.tar');
      assert.equal(spawnSync('sh', ['-c', `"${CTUI}" export work > "${piped}"`], { env: { ...process.env, CTUI_ROOT: s.root } }).status, 0);
      assert.ok(fs.readFileSync(piped).equals(fs.readFileSync(file)), 'stdout gets the same archive');
      fs.rmSync(piped);
      s.ok(['import', file, 'flat:1']);
      const cmd = ['sh', '-c', 'cat /etc/newfile; ls /etc/group 2>&1; ls /usr 2>&1; cat /opt/a/b/f'];
      assert.equal(s.ok(['run', '--rm', 'flat:1', ...cmd]), s.ok(['run', '--rm', 'mine:1', ...cmd]));
      assert.equal(JSON.parse(s.ok(['image', 'inspect', '-f', '{{json .RootFS.Layers}}', 'flat:1'])).length, 1, 'one flat layer');
      // A running container exports too, and a failed export leaves no file behind.
      s.ok(['run', '-d', '--name', 'running', 'busybox', 'sleep', '60']);
      s.ok(['export', '-o', path.join(dir, 'running.tar'), 'running']);
      assert.ok(fs.statSync(path.join(dir, 'running.tar')).size > 1_000_000);
      const bad = s.run(['export', '-o', path.join(dir, 'none.tar'), 'nosuch']);
      assert.equal(bad.status, 1);
      assert.ok(!fs.existsSync(path.join(dir, 'none.tar')));
      assert.deepEqual(fs.readdirSync(dir).sort(), ['running.tar', 'work.tar']);
      const h = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
      s.ok(['export', '-o', file, 'work']);
      assert.equal(createHash('sha256').update(fs.readFileSync(file)).digest('hex'), h, 'export is deterministic');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
