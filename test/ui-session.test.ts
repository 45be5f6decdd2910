import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineEditor } from '../src/term/lineedit.js';
import { parseKeyConfig, type InkKey } from '../src/ui/keymap.js';
import { findOwnKey } from '../src/ui/session/keys.js';
import { screenAnsi } from '../src/ui/session/screen.js';

/** The pure parts of the TUI's terminal sessions: line editing without a tty, own keys in a chunk, the repaint. */

function editor() {
  let shown = '';
  const sent: string[] = [];
  let interrupts = 0;
  const e = new LineEditor({ echo: (t) => (shown += t), send: (l) => sent.push(l.toString('utf8')), interrupt: () => interrupts++ });
  return { feed: (s: string | Buffer) => e.feed(typeof s === 'string' ? Buffer.from(s, 'utf8') : s), shown: () => shown, sent, interrupts: () => interrupts };
}

describe('LineEditor (a session without a tty, the terminal raw)', () => {
  it('echoes what is typed and sends the line with "\\n" on enter (CR or LF)', () => {
    const x = editor();
    x.feed('hello');
    assert.deepEqual(x.sent, []);
    x.feed('\r');
    x.feed('two\n');
    assert.deepEqual(x.sent, ['hello\n', 'two\n']);
    assert.equal(x.shown(), 'hello\r\ntwo\r\n');
  });

  it('erases: backspace (DEL or BS) one character, ctrl-w a word, ctrl-u the line', () => {
    const x = editor();
    x.feed('abcx\x7f\r');
    assert.deepEqual(x.sent, ['abc\n']);
    assert.equal(x.shown(), 'abcx\b \b\r\n');
    x.feed('one two  \x17three\r');
    x.feed('gone\x15kept\b\r');
    assert.deepEqual(x.sent.slice(1), ['one three\n', 'kep\n']);
    // Backspace on an empty line erases nothing on screen.
    const y = editor();
    y.feed('\x7f\x7f');
    assert.equal(y.shown(), '');
  });

  it('keeps a UTF-8 character whole, also split across reads, and erases it as one', () => {
    const x = editor();
    const e = Buffer.from('é€', 'utf8');
    x.feed(e.subarray(0, 1));
    assert.equal(x.shown(), '');
    x.feed(Buffer.concat([e.subarray(1), Buffer.from('\x7f\r')]));
    assert.deepEqual(x.sent, ['é\n']);
    assert.equal(x.shown(), 'é€\b \b\r\n');
  });

  it('drops escape sequences (arrows, function keys, alt-x) whole, and other control bytes', () => {
    const x = editor();
    x.feed('a\x1b[A\x1b[1;5C\x1bOPb\x1bxc\x01\x02\x10\x11d\r');
    assert.deepEqual(x.sent, ['abcd\n']);
    assert.equal(x.shown(), 'abcd\r\n');
    // Split across reads too.
    const y = editor();
    y.feed('a\x1b');
    y.feed('[');
    y.feed('15~b\r');
    assert.deepEqual(y.sent, ['ab\n']);
  });

  it('ctrl-c is the interrupt (the caller detaches); ctrl-d sends the line so far, and nothing on an empty line', () => {
    const x = editor();
    x.feed('par\x03');
    assert.equal(x.interrupts(), 1);
    x.feed('\x04');
    assert.deepEqual(x.sent, ['par']);
    x.feed('\x04\x04');
    assert.deepEqual(x.sent, ['par'], 'no end of input sent: it would close the container\'s stdin for good');
  });
});

describe('findOwnKey (ctrl-t, ctrl-g inside a chunk for the session)', () => {
  const none: InkKey = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false };
  it('cuts the chunk at the first of the keys; the rest stays in order', () => {
    assert.deepEqual(findOwnKey('ls\r\x14pwd\r', none, ['ctrl-t', 'ctrl-g']), { before: 'ls\r', key: 'ctrl-t', after: 'pwd\r' });
    assert.deepEqual(findOwnKey('\x07jk', none, ['ctrl-t', 'ctrl-g']), { before: '', key: 'ctrl-g', after: 'jk' });
  });
  it('nothing to cut: no such key, a single key, or a key Ink decoded itself', () => {
    assert.equal(findOwnKey('ls\r\x03', none, ['ctrl-t', 'ctrl-g']), undefined);
    assert.equal(findOwnKey('\x14', none, ['ctrl-t']), undefined);
    assert.equal(findOwnKey('t', { ...none, ctrl: true }, ['ctrl-t']), undefined);
  });
});

describe('screenAnsi (the pane\'s screen drawn again full screen)', () => {
  const term = async (cols: number, rows: number, data: string) => {
    // A CommonJS package: its exports are the module's default under the bundle, the module itself under tsx.
    const m = (await import('@xterm/headless')) as unknown as { default?: typeof import('@xterm/headless'); Terminal: typeof import('@xterm/headless').Terminal };
    const t = new (m.default ?? m).Terminal({ cols, rows, allowProposedApi: true });
    await new Promise<void>((r) => t.write(data, r));
    return t;
  };
  it('the rows down to the cursor with their colours, blank ends left out, the cursor put back', async () => {
    const t = await term(20, 6, 'one\r\n\x1b[31mred\x1b[0m two\r\n$ ');
    assert.equal(screenAnsi(t), 'one\r\n\x1b[0;31mred\x1b[0m two\r\n$\r\x1b[2C');
    t.dispose();
  });
  it('rows drawn below the cursor (a full-screen program) are kept and the cursor moved up to its place', async () => {
    const t = await term(20, 6, '\x1b[5;1H\x1b[7mstatus\x1b[0m\x1b[2;3H');
    assert.equal(screenAnsi(t), '\r\n\r\n\r\n\r\n\x1b[0;7mstatus\x1b[0m\x1b[3A\r\x1b[2C');
    t.dispose();
  });
  it('256 colours, true colour and backgrounds', async () => {
    const t = await term(20, 2, '\x1b[38;5;208ma\x1b[48;2;1;2;3mb\x1b[0m\x1b[1;94mc');
    assert.equal(screenAnsi(t), '\x1b[0;38;5;208ma\x1b[0;38;5;208;48;2;1;2;3mb\x1b[0;1;94mc\x1b[0m\r\x1b[3C');
    t.dispose();
  });
});

describe('the focus key in keys.json', () => {
  it('sessionFocus takes ctrl-<letter> keys only (every other key is the session\'s)', () => {
    assert.deepEqual(parseKeyConfig('{"sessionFocus": ["ctrl-o"]}', 'keys.json').bindings.get('sessionFocus'), ['ctrl-o']);
    assert.match(parseKeyConfig('{"sessionFocus": ["x"]}', 'keys.json').error ?? '', /'sessionFocus' needs ctrl-<letter> keys/);
  });
});
