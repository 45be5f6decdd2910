import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerSummary } from '../src/core/engine.js';
import { rowsReusing } from '../src/ui/state/rowcache.js';
import { reuseUnchanged, sameJson } from '../src/ui/state/reuse.js';
import { rowsFor, type Data } from '../src/ui/state/rows.js';

describe('reloads share what did not change', () => {
  it('sameJson: deep, key order aside; arrays are not objects; a missing key differs', () => {
    assert.ok(sameJson({ a: 1, b: { c: [1, 'x', null] } }, { b: { c: [1, 'x', null] }, a: 1 }));
    assert.ok(!sameJson({ a: 1, b: { c: [1, 'x'] } }, { a: 1, b: { c: [1, 'y'] } }));
    assert.ok(!sameJson([1, 2], { 0: 1, 1: 2 }));
    assert.ok(!sameJson({ a: 1 }, { a: 1, b: 2 }));
    assert.ok(!sameJson({ a: 1, b: 2 }, { a: 1 }));
    assert.ok(!sameJson({ a: undefined }, {}));
    assert.ok(!sameJson(null, {}));
    assert.ok(sameJson('s', 's') && !sameJson(1, '1'));
  });

  it('reuseUnchanged: equal items keep their identity, changed and new ones are the new objects', () => {
    const prev = [{ id: 'a', s: 'up' }, { id: 'b', s: 'up' }];
    const next = [{ id: 'c', s: 'new' }, { id: 'a', s: 'up' }, { id: 'b', s: 'down' }];
    const out = reuseUnchanged(prev, next, (x) => x.id);
    assert.equal(out[0], next[0]);
    assert.equal(out[1], prev[0]);
    assert.equal(out[2], next[2]);
    assert.deepEqual(out, next);
  });

  it('reuseUnchanged: nothing changed gives back the previous array; a removal or reorder does not', () => {
    const prev = [{ id: 'a' }, { id: 'b' }];
    assert.equal(reuseUnchanged(prev, [{ id: 'a' }, { id: 'b' }], (x) => x.id), prev);
    const gone = reuseUnchanged(prev, [{ id: 'b' }], (x) => x.id);
    assert.notEqual(gone, prev);
    assert.deepEqual(gone, [prev[1]]);
    const swapped = reuseUnchanged(prev, [{ id: 'b' }, { id: 'a' }], (x) => x.id);
    assert.notEqual(swapped, prev);
    assert.equal(swapped[0], prev[1]);
  });
});

describe('container rows are rebuilt only when they would read differently', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const c = (id: string, startedAgo: number): ContainerSummary => ({
    Id: id, Name: `n-${id}`, Image: 'busybox', ImageId: 'sha256:x', Command: 'sleep 1000', Created: new Date(now - 3_600_000).toISOString(), Labels: {}, ImageSize: 0, Mounts: [],
    State: { Status: 'running', Pid: 1, ExitCode: 0, Error: '', StartedAt: new Date(now - startedAgo).toISOString(), FinishedAt: '0001-01-01T00:00:00Z' },
  });
  const data = (containers: ContainerSummary[], sizes = new Map<string, number>()): Data => ({ images: [], containers, volumes: [], sizes });

  it('the same summary within the same second is the same row; what rowsFor builds either way', () => {
    const d = data([c('a', 2200), c('b', 5 * 60_000)]);
    const first = rowsReusing('containers', d, now);
    assert.deepEqual(first, rowsFor('containers', d, now));
    const again = rowsReusing('containers', d, now + 500);
    assert.equal(again[0], first[0]); // "Up 2 seconds" still
    assert.equal(again[1], first[1]); // "Up 5 minutes" still
    assert.deepEqual(again, rowsFor('containers', d, now + 500));
  });

  it('a second later only the row that shows seconds is rebuilt', () => {
    const d = data([c('a', 2200), c('b', 5 * 60_000)]);
    const first = rowsReusing('containers', d, now);
    const later = rowsReusing('containers', d, now + 900);
    assert.notEqual(later[0], first[0]);
    assert.match(later[0]!.cells.join(' '), /Up 3 seconds/);
    assert.equal(later[1], first[1]);
    assert.deepEqual(later, rowsFor('containers', d, now + 900));
  });

  it('a measured size or a new summary object rebuilds that row; a clock going back does too', () => {
    const a = c('a', 5 * 60_000);
    const first = rowsReusing('containers', data([a]), now);
    const sized = rowsReusing('containers', data([a], new Map([['a', 4096]])), now);
    assert.notEqual(sized[0], first[0]);
    assert.deepEqual(sized, rowsFor('containers', data([a], new Map([['a', 4096]])), now));
    const other = rowsReusing('containers', data([{ ...a, State: { ...a.State, Status: 'paused' } }]), now);
    assert.match(other[0]!.cells.join(' '), /Paused/);
    const back = rowsReusing('containers', data([a]), now - 120_000);
    assert.deepEqual(back, rowsFor('containers', data([a]), now - 120_000));
  });
});

describe('the list state stays the same object when nothing moved', () => {
  it('a sync with the same rows (a reload, a clock tick) returns the state it was given', async () => {
    const { emptyList, listReducer } = await import('../src/ui/state/list.js');
    const view = { ids: ['a', 'b', 'c'], height: 2 };
    const s = listReducer(emptyList, { type: 'move', delta: 1 }, view);
    assert.equal(listReducer(s, { type: 'sync' }, { ids: ['a', 'b', 'c'], height: 2 }), s);
    const moved = listReducer(s, { type: 'sync' }, { ids: ['new', 'a', 'b', 'c'], height: 2 });
    assert.notEqual(moved, s);
    assert.deepEqual([moved.cursor, moved.selectedId], [2, 'b']);
  });
});
