import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importWithoutFetch } from '../src/ui/startup.js';

describe('the UI loads its modules without a global fetch (yoga would fetch its own wasm through undici)', () => {
  it('fetch is absent while loading and Node\'s own afterwards, also when the load fails', async () => {
    const before = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
    const seen = await importWithoutFetch(async () => typeof fetch);
    assert.equal(seen, 'undefined');
    assert.deepEqual(Object.getOwnPropertyDescriptor(globalThis, 'fetch'), before);
    await assert.rejects(importWithoutFetch(async () => { throw new Error('boom'); }), /boom/);
    assert.deepEqual(Object.getOwnPropertyDescriptor(globalThis, 'fetch'), before);
    assert.equal(typeof fetch, 'function');
  });
});
