import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CTUI, assertPrivileged, busyboxRootfs, storeWithBusybox, type TestStore } from './helpers.js';

/**
 * Nothing lost: ctui is killed with SIGKILL at random points of import, commit, load, rmi and prune, a few
 * hundred times; after each round the next ctui repairs the store, and the store must then be whole:
 * every tag names an image, every image's layers are there, no layer is left that no image uses, no
 * staging debris remains, and every image runs.
 */

const ROUNDS = Number(process.env.CTUI_FAULT_ROUNDS ?? 300);

/** A tiny deterministic PRNG, so a failure can be replayed with the same CTUI_FAULT_SEED. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function killAfter(s: TestStore, args: readonly string[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(CTUI, args, { env: { ...process.env, CTUI_ROOT: s.root }, stdio: 'ignore' });
    const t = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('close', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** The store's invariants, read straight from disk after a repair. */
function checkStore(s: TestStore): void {
  s.ok(['images', '-q']); // opens the store: the repair runs here
  const root = s.root;
  const images = new Map<string, string[]>();
  for (const h of fs.readdirSync(path.join(root, 'images'))) {
    const cfg = path.join(root, 'images', h, 'config.json');
    assert.ok(fs.existsSync(cfg), `image dir ${h} without a config survived repair`);
    images.set(`sha256:${h}`, JSON.parse(fs.readFileSync(cfg, 'utf8')).rootfs.diff_ids);
  }
  for (const t of fs.readdirSync(path.join(root, 'tags'))) {
    const id = fs.readFileSync(path.join(root, 'tags', t), 'utf8').trim();
    assert.ok(images.has(id), `tag ${decodeURIComponent(t)} points nowhere (${id})`);
  }
  const used = new Set([...images.values()].flat().map((d) => d.slice(7)));
  for (const d of used) {
    assert.ok(fs.existsSync(path.join(root, 'layers', d, 'layer.json')), `layer ${d} is missing`);
    assert.ok(fs.statSync(path.join(root, 'layers', d, 'diff')).isDirectory());
  }
  for (const d of fs.readdirSync(path.join(root, 'layers'))) assert.ok(used.has(d), `layer ${d} is orphaned`);
  for (const l of fs.readdirSync(path.join(root, 'l'))) assert.ok(fs.existsSync(path.join(root, 'l', l)), `short link ${l} dangles`);
  const tmp = fs.readdirSync(path.join(root, 'tmp')).filter((n) => !n.startsWith(`${process.pid}-`));
  assert.deepEqual(tmp, [], 'staging debris left');
  for (const id of fs.readdirSync(path.join(root, 'containers'))) {
    assert.ok(fs.existsSync(path.join(root, 'containers', id, 'container.json')), `half a container ${id}`);
  }
}

describe('nothing lost: kill -9 at random points of import, commit, load, rmi and prune', () => {
  assertPrivileged();
  const s = storeWithBusybox('faults');
  after(() => {
    s.run(['rm', '-f', ...s.ok(['ps', '-aq']).trim().split('\n').filter(Boolean)]);
    s.cleanup();
  });

  it(`survives ${ROUNDS} kills and every image still runs`, async () => {
    const seed = Number(process.env.CTUI_FAULT_SEED ?? Date.now() % 100000);
    const rand = rng(seed);
    const bb = busyboxRootfs();
    // A running container with changes to commit (commit freezes it: a kill must not leave it frozen).
    s.ok(['run', '-d', '--name', 'src', 'busybox', 'sh', '-c', 'mkdir /data; i=0; while [ $i -lt 200 ]; do echo $i > /data/f$i; i=$((i+1)); done; sleep 3600']);
    // An archive to load: an image with a layer of its own, removed again so that load has work to do.
    const archive = path.join(s.root, '..', `${path.basename(s.root)}-load.tar`);
    s.ok(['commit', 'src', 'lod:1']);
    s.ok(['save', '-o', archive, 'lod:1']);
    s.ok(['rmi', 'lod:1']);
    after(() => fs.rmSync(archive, { force: true }));
    const ops: Array<() => string[]> = [
      () => ['load', '-i', archive],
      () => ['rmi', 'lod:1'],
      () => ['import', bb, `imp:${Math.floor(rand() * 5)}`],
      () => ['commit', 'src', `com:${Math.floor(rand() * 5)}`],
      () => ['rmi', `imp:${Math.floor(rand() * 5)}`],
      () => ['rmi', '-f', `com:${Math.floor(rand() * 5)}`],
      () => ['image', 'prune', '-a', '-f'],
      () => ['container', 'prune', '-f'],
      () => ['create', 'busybox', 'true'],
    ];
    for (let i = 0; i < ROUNDS; i++) {
      const args = ops[Math.floor(rand() * ops.length)]!();
      await killAfter(s, args, 20 + Math.floor(rand() * 300));
      if (i % 25 === 24) checkStore(s);
    }
    checkStore(s);
    assert.equal(s.ok(['inspect', '-f', '{{.State.Status}}', 'src']).trim(), 'running', `seed ${seed}: src was left frozen or stopped`);
    for (const img of s.ok(['images', '-q', '--no-trunc']).trim().split('\n').filter(Boolean)) {
      assert.equal(s.ok(['run', '--rm', img, 'echo', 'ok']), 'ok\n', `seed ${seed}: image ${img} does not run`);
    }
  });
});
