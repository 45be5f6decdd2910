import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { imagePruneDialog, volumePruneDialog } from '../src/ui/dialogs.js';
import { dialogTotal } from '../src/ui/state/dialog.js';
import { ticked, type Dialog } from '../src/ui/state/ui.js';
import { assertPrivileged, busyboxRootfs, storeWithBusybox } from './helpers.js';

describe('prune and disk usage', () => {
  assertPrivileged();
  const s = storeWithBusybox('prune');
  after(() => {
    s.run(['rm', '-f', ...s.ok(['ps', '-aq']).trim().split('\n').filter(Boolean)]);
    s.cleanup();
  });
  const ids = () => s.ok(['ps', '-aq', '--no-trunc']).trim().split('\n').filter(Boolean).sort();

  it('container prune asks first, and no is no', () => {
    s.ok(['create', '--name', 'made', 'busybox', 'true']);
    const r = s.run(['container', 'prune'], { input: 'n\n' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /WARNING! This will remove all stopped containers\.\nAre you sure you want to continue\? \[y\/N\] $/);
    assert.deepEqual(ids().length, 1);
  });

  it('container prune removes stopped and created containers, keeps running ones, says what it reclaimed', () => {
    s.ok(['run', '--name', 'done', 'busybox', 'sh', '-c', 'head -c 300000 /dev/zero > /big']);
    const up = s.ok(['run', '-d', '--name', 'up', 'busybox', 'sleep', '60']).trim();
    const gone = ids().filter((id) => id !== up);
    const r = s.run(['container', 'prune'], { input: 'y\n' });
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout.replace(/^.*\[y\/N\] /s, '');
    assert.equal(out.split('\n')[0], 'Deleted Containers:');
    assert.deepEqual(out.split('\n').slice(1, 1 + gone.length).sort(), gone);
    assert.match(out, /\n\nTotal reclaimed space: 3\d\d(\.\d+)?kB\n$/);
    assert.deepEqual(ids(), [up]);
    assert.equal(s.ok(['container', 'prune', '-f']), 'Total reclaimed space: 0B\n');
    s.ok(['rm', '-f', 'up']);
  });

  it('--filter label= and until= choose what goes', () => {
    s.ok(['create', '--label', 'keep=yes', '--name', 'keep1', 'busybox', 'true']);
    s.ok(['create', '--label', 'keep=no', '--name', 'nokeep', 'busybox', 'true']);
    assert.match(s.ok(['container', 'prune', '-f', '--filter', 'until=1h']), /^Total reclaimed space: 0B\n$/, 'nothing older than an hour');
    s.ok(['container', 'prune', '-f', '--filter', 'label=keep=no']);
    assert.deepEqual(s.ok(['ps', '-a', '--format', '{{.Names}}']).trim(), 'keep1');
    s.ok(['container', 'prune', '-f', '--filter', 'label!=keep']);
    assert.deepEqual(s.ok(['ps', '-a', '--format', '{{.Names}}']).trim(), 'keep1');
    const bad = s.run(['container', 'prune', '-f', '--filter', 'colour=red']);
    assert.equal(bad.status, 125);
    assert.match(bad.stderr, /^ctui: invalid filter 'colour'/);
    s.ok(['rm', 'keep1']);
  });

  it('image prune removes dangling images; -a every image no container uses; never one in use', () => {
    s.ok(['run', '--name', 'c1', 'busybox', 'sh', '-c', 'echo 1 > /one']);
    s.ok(['commit', 'c1', 'one:1']);
    s.ok(['commit', 'c1', 'one:1']); // the first one:1 is now dangling
    s.ok(['rm', 'c1']);
    s.ok(['run', '--name', 'user', 'one:1', 'true']);
    const dangling = s.ok(['images', '-q', '--filter', 'dangling=true']).trim();
    assert.ok(dangling);
    const r = s.ok(['image', 'prune', '-f']);
    assert.match(r, /^Deleted Images:\ndeleted: sha256:[0-9a-f]{64}\n/);
    assert.match(r, /Total reclaimed space: /);
    assert.equal(s.ok(['images', '-q', '--filter', 'dangling=true']).trim(), '');
    const all = s.ok(['image', 'prune', '-a', '-f']);
    assert.equal(all, 'Total reclaimed space: 0B\n', 'busybox and one:1 are in use (one:1 by a container, busybox below it)');
    s.ok(['rm', 'user']);
    const all2 = s.ok(['image', 'prune', '-a', '-f']);
    assert.match(all2, /untagged: one:1\n/);
    assert.match(all2, /untagged: busybox:latest\n/);
    assert.equal(s.ok(['images', '-q']), '');
    s.ok(['import', busyboxRootfs(), 'busybox']);
  });

  it('system df sums layers once; system prune clears containers and dangling images', () => {
    s.ok(['run', '--name', 'xx', 'busybox', 'sh', '-c', 'head -c 100000 /dev/zero > /f']);
    const df = s.ok(['system', 'df']);
    assert.match(df, /^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE\n/);
    assert.match(df, /^Images\s+1\s+1\s+1\.\d+MB\s+0B \(0%\)$/m);
    assert.match(df, /^Containers\s+1\s+0\s+100kB\s+100kB \(100%\)$/m);
    assert.match(s.ok(['system', 'df', '-v']), /Images space usage:\n\nREPOSITORY\s+TAG\s+IMAGE ID/);
    const r = s.run(['system', 'prune'], { input: 'y\n' });
    assert.match(r.stdout, /WARNING! This will remove:\n  - all stopped containers\n  - all dangling images\n/);
    assert.match(r.stdout, /Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: /);
    assert.equal(s.ok(['ps', '-aq']), '');
    assert.ok(s.ok(['images', '-q']).trim(), 'tagged images stay without -a');
  });

  it('system prune --volumes takes anonymous volumes too; df counts them; a volume mount point is no change', () => {
    s.ok(['run', '--name', 'withvol', '-v', '/anon', '-v', 'named1:/named', 'busybox', 'sh', '-c', 'head -c 50000 /dev/zero > /anon/f; echo x > /named/f']);
    assert.equal(s.ok(['diff', 'withvol']), '', 'volume mount points are not changes');
    assert.match(s.ok(['system', 'df']), /^Local Volumes\s+2\s+2\s+50kB\s+0B \(0%\)$/m);
    const r = s.ok(['system', 'prune', '-f', '--volumes']);
    assert.match(r, /Deleted Containers:\n[0-9a-f]{64}\n\nDeleted Volumes:\n[0-9a-f]{64}\n\n/);
    assert.equal(s.ok(['volume', 'ls', '-q']).trim(), 'named1', 'named volumes stay (docker 23+)');
    s.ok(['volume', 'rm', 'named1']);
  });

  it("the TUI's prune dialogs tick what the core's prune removes, and their figure is what it reclaims", async () => {
    // A: dangling with a layer of its own; B and C: dangling, sharing one layer nobody else has.
    s.ok(['run', '--name', 'p1', 'busybox', 'sh', '-c', 'head -c 300000 /dev/urandom > /one']);
    s.ok(['commit', 'p1', 'pa:1']);
    s.ok(['run', '--name', 'p2', 'busybox', 'sh', '-c', 'head -c 200000 /dev/urandom > /two']);
    s.ok(['commit', 'p2', 'pb:1']);
    s.ok(['commit', 'p2', 'pc:1']);
    s.ok(['run', '--name', 'p3', 'busybox', 'sh', '-c', 'head -c 100000 /dev/urandom > /three']);
    for (const t of ['pa:1', 'pb:1', 'pc:1']) s.ok(['commit', 'p3', t]);
    s.ok(['rm', 'p1', 'p2', 'p3']);
    s.ok(['volume', 'create', 'named2']);
    s.ok(['run', '--rm', '-v', '/anon2', '-v', 'named2:/n', 'busybox', 'sh', '-c', 'echo data > /n/f; echo a > /anon2/f']);
    const { EmbeddedEngine } = await import('../src/core/embedded.js');
    const engine = await EmbeddedEngine.open(s.root);
    const layersOf = (id: string) => engine.images.inspect(id).Layers.map((l) => ({ diffId: l.DiffId, size: l.Size }));
    const dialog = imagePruneDialog(engine.images.list(), layersOf);
    const dangling = engine.images.list({ dangling: true }).map((i) => i.Id).sort();
    assert.equal(dangling.length, 3);
    assert.deepEqual(ticked(dialog).map((i) => i.id).sort(), dangling);
    const [a, b, c] = dangling.map((id) => dialog.items.find((i) => i.id === id)!);
    // B and C each free nothing alone (the other keeps the shared layer), together they free it once.
    const untick = (d: Dialog, ...ids: string[]): Dialog => ({ ...d, items: d.items.map((i) => (ids.includes(i.id) ? { ...i, ticked: false } : i)) });
    const alone = [a, b, c].map((i) => i!.size);
    assert.equal(alone.filter((n) => n === 0).length, 2, `sizes alone: ${alone}`);
    const own = Math.max(...(alone as number[]));
    assert.ok(own >= 300_000 && own < 310_000, `A's own layer: ${own}`);
    const all = dialogTotal(dialog);
    const sharedPair = [a, b, c].filter((i) => i!.size === 0).map((i) => i!.id);
    assert.equal(dialogTotal(untick(dialog, sharedPair[0]!)), own, 'the shared layer stays while one of its images stays');
    assert.ok(all >= own + 200_000 && all < own + 400_000, `the shared layer counted once: ${all}`);
    const pruned = await engine.images.prune();
    assert.deepEqual(pruned.images.sort(), dangling);
    assert.equal(all, pruned.reclaimed, 'the dialog showed what prune reclaimed');
    // Volumes: the anonymous one is ticked, the named one with data listed unticked, as volume prune does.
    const vd = volumePruneDialog(engine.volumes.list());
    const vols = await engine.volumes.prune();
    assert.deepEqual(ticked(vd).map((i) => i.id), vols.deleted);
    assert.ok(vd.items.some((i) => i.id === 'named2' && !i.ticked));
    assert.deepEqual(engine.volumes.list().map((v) => v.Name), ['named2']);
    s.ok(['volume', 'rm', 'named2']);
  });

  it('two prunes at once, and prunes beside runs, never break a container or an image', async () => {
    for (let i = 0; i < 6; i++) s.ok(['create', '--name', `old${i}`, 'busybox', 'true']);
    const runs = Array.from({ length: 6 }, (_, i) => s.spawn(['run', '--name', `new${i}`, 'busybox', 'sh', '-c', 'echo ran']));
    const prunes = [s.spawn(['container', 'prune', '-f']), s.spawn(['container', 'prune', '-f']), s.spawn(['image', 'prune', '-a', '-f'])];
    const results = await Promise.all([...runs, ...prunes].map((c) => new Promise<{ code: number; out: string; err: string }>((resolve) => {
      let out = '';
      let err = '';
      c.stdout.on('data', (d: Buffer) => (out += d.toString()));
      c.stderr.on('data', (d: Buffer) => (err += d.toString()));
      c.on('close', (code) => resolve({ code: code ?? 1, out, err }));
    })));
    for (const [i, r] of results.slice(0, 6).entries()) {
      assert.equal(r.code, 0, `run ${i}: ${r.err}`);
      assert.equal(r.out, 'ran\n');
    }
    for (const r of results.slice(6)) assert.equal(r.code, 0, r.err);
    // Every old container went exactly once between the two prunes.
    const deleted = results.slice(6, 8).flatMap((r) => r.out.split('\n').filter((l) => /^[0-9a-f]{64}$/.test(l)));
    assert.equal(new Set(deleted).size, deleted.length);
    assert.equal(s.ok(['run', '--rm', 'busybox', 'echo', 'ok']), 'ok\n', 'the image survived');
  });
});
