import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CTUI, CTUI_JS, NODE, REPO, TestStore } from './helpers.js';

/** The CLI paths must never load the TUI's libraries (start-up time is a budget). */
describe('start-up stays small', () => {
  const s = new TestStore('startup');
  after(() => s.cleanup());

  const modulesFor = (args: string[], status = 0): string[] => {
    const log = path.join(s.root, `modules-${args.join('-')}.log`);
    fs.writeFileSync(log, '');
    const r = spawnSync(NODE, ['--import', path.join(REPO, 'test/fixtures/trace-modules.mjs'), CTUI_JS, ...args], {
      env: { ...process.env, CTUI_ROOT: s.root, CTUI_MODULE_LOG: log },
      encoding: 'utf8',
    });
    assert.equal(r.status, status, r.stderr);
    return fs.readFileSync(log, 'utf8').trim().split('\n');
  };
  // Ink and React are bundled into the chunks only the TUI's dynamic import reaches: a loaded chunk
  // holding their code (esbuild keeps each bundled file's path as a comment) is the UI's.
  const uiChunks = (mods: string[]) =>
    mods.filter((m) => m.startsWith('file:') && m.includes('/dist/') && /^\/\/ node_modules\/(ink|react|react-reconciler|yoga-layout)\//m.test(fs.readFileSync(new URL(m), 'utf8')));

  for (const args of [['--version'], ['ps'], ['ps', '-a'], ['images']]) {
    it(`ctui ${args.join(' ')} loads neither Ink, React nor yargs`, () => {
      const mods = modulesFor(args);
      const heavy = mods.filter((m) => /node_modules\/(ink|react|yargs|@alcalzone|tar-stream)\//.test(m) || /\/dist\/(help\.js|tui\/)/.test(m));
      assert.deepEqual(heavy, []);
      assert.deepEqual(uiChunks(mods), []);
    });
  }

  it('the UI (ctui alone, here without a terminal) does load the chunk with Ink and React, which shows the check works', () => {
    const mods = modulesFor([], 125);
    assert.ok(uiChunks(mods).length > 0, mods.join('\n'));
  });

  it('the CLI is one file (dist/cli.cjs): Node resolves no chunk of it', () => {
    const mods = modulesFor(['ps', '-a']).filter((m) => m.includes('/dist/'));
    assert.deepEqual(mods.map((m) => m.replace(/.*\/dist\//, '')), ['cli.cjs']);
  });

  it('--help does load yargs (the help bundle), which shows the trace works', () => {
    const mods = modulesFor(['--help']);
    assert.ok(mods.some((m) => /\/dist\/help\.js$/.test(m)), mods.join('\n'));
    const r = spawnSync(CTUI, ['--help'], { encoding: 'utf8' });
    assert.match(r.stdout, /Commands:/);
    assert.match(r.stdout, /ctui run <image>/);
  });
});
