import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commitForm, diffLines } from '../src/ui/forms/commit.js';
import { runForm, runOptions } from '../src/ui/forms/run.js';
import { formReducer, type Form } from '../src/ui/forms/state.js';
import { splitWords } from '../src/core/util/words.js';
import { splitList } from '../src/ui/forms/words.js';
import { initialUi, uiReducer } from '../src/ui/state/ui.js';
import { describeDetachKeys } from '../src/term/screen.js';

/** The forms' pure parts: word splitting, field edits, what a run form becomes, the diff summary. */
describe('ui forms', () => {
  it('splitWords: spaces separate, quotes group, backslash escapes, no expansion', () => {
    assert.deepEqual(splitWords(`sh -c 'echo $HOME; ls'  "a b" c\\ d ''`), ['sh', '-c', 'echo $HOME; ls', 'a b', 'c d', '']);
    assert.deepEqual(splitWords('   '), []);
    assert.throws(() => splitWords(`echo 'open`), /unterminated ' quote/);
    assert.deepEqual(splitList('A=1, B=2 C="x y"'), ['A=1', 'B=2', 'C=x y']);
  });

  const type = (f: Form, s: string) => [...s].reduce((x, c) => formReducer(x, { type: 'type', text: c }), f);

  it('the run form: tab moves, choices cycle, the result is create options', () => {
    let f = runForm('busybox:latest');
    assert.equal(f.fields[f.focus]!.key, 'name');
    f = type(f, 'web');
    f = formReducer(f, { type: 'next', delta: 1 });
    f = type(f, 'sleep 5');
    f = formReducer(f, { type: 'next', delta: 1 });
    f = formReducer(f, { type: 'cycle', delta: 1 });
    f = formReducer(f, { type: 'next', delta: 1 });
    f = type(f, 'A=1,B=2');
    f = formReducer(f, { type: 'next', delta: 1 });
    f = type(f, 'data:/data /tmp:/t:ro');
    const r = runOptions(f);
    assert.equal(r.interactive, true);
    assert.deepEqual(r.opts, { image: 'busybox:latest', cmd: ['sleep', '5'], name: 'web', env: ['A=1', 'B=2'], volumes: ['data:/data', '/tmp:/t:ro'], tty: true, interactive: true });
    // shift-tab from the first field wraps to the last; erase and clear edit the focused field.
    f = formReducer(formReducer(f, { type: 'next', delta: 1 }), { type: 'next', delta: -1 });
    assert.equal(f.fields[f.focus]!.key, 'volumes');
    f = formReducer(f, { type: 'erase' });
    assert.match(f.fields[f.focus]!.value, /:r$/);
    f = formReducer(f, { type: 'clear' });
    assert.equal(f.fields[f.focus]!.value, '');
  });

  it('bad fields are refused with a message for the status line', () => {
    const withField = (key: string, value: string) => ({ ...runForm('busybox'), fields: runForm('busybox').fields.map((x) => (x.key === key ? { ...x, value } : x)) });
    assert.throws(() => runOptions(withField('image', ' ')), /the image is required/);
    assert.throws(() => runOptions(withField('name', 'bad name!')), /invalid name/);
    assert.throws(() => runOptions(withField('env', '=x')), /invalid env/);
    assert.throws(() => runOptions(withField('volumes', 'nocolon')), /invalid volume/);
    assert.throws(() => runOptions(withField('command', `echo 'x`)), /unterminated/);
  });

  it('the commit form starts with the diff summary', () => {
    const d = { changes: [{ Path: '/bin', Kind: 0 }, { Path: '/bin/vi', Kind: 2 }, { Path: '/hello.txt', Kind: 1 }], added: 1, changed: 1, deleted: 1, size: 2048 } as Parameters<typeof diffLines>[0];
    const f = commitForm('c0ffee000001aaaa', 'web', 'busybox', d);
    assert.equal(f.info[0], '1 added, 1 changed, 1 deleted; the layer adds 2.05kB');
    assert.deepEqual(f.info.slice(1), ['  C /bin', '  D /bin/vi', '  A /hello.txt']);
    assert.deepEqual(f.fields.map((x) => x.key), ['reference', 'message', 'author']);
  });

  it('a prompt edits its text; select puts a pane on an object', () => {
    let s = uiReducer(initialUi('images'), { type: 'openPrompt', prompt: { purpose: 'exec', where: 'full', label: 'exec in web', text: '/bin/sh', target: 'id', name: 'web', image: 'busybox' } });
    s = uiReducer(uiReducer(uiReducer(s, { type: 'erase' }), { type: 'erase' }), { type: 'type', text: 'bash' });
    assert.equal(s.mode.kind === 'prompt' && s.mode.prompt.text, '/bin/bash');
    s = uiReducer(s, { type: 'select', pane: 'containers', id: 'abc' });
    assert.equal(s.pane, 'containers');
    assert.equal(s.lists.containers.selectedId, 'abc');
    assert.equal(s.mode.kind, 'normal');
  });

  it('the banner names the detach keys', () => {
    assert.equal(describeDetachKeys(undefined), 'ctrl-p ctrl-q');
    assert.equal(describeDetachKeys('ctrl-x,x'), 'ctrl-x x');
  });
});

describe('keys that arrive in one read', async () => {
  const { splitChunk } = await import('../src/ui/chunks.js');
  const blank = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false };
  it('splits tab, text, backspace and enter into keys of their own', () => {
    const parts = splitChunk('\tweb\x7fx\r', blank)!;
    assert.deepEqual(parts.map(([i, k]) => (k.tab ? 'TAB' : k.return ? 'ENTER' : k.backspace ? 'BS' : i)), ['TAB', 'web', 'BS', 'x', 'ENTER']);
  });
  it('leaves one key, plain text and escape sequences alone', () => {
    assert.equal(splitChunk('a', blank), undefined);
    assert.equal(splitChunk('hello world', blank), undefined);
    assert.equal(splitChunk('\x1b[A', blank), undefined);
  });
});
