import { say, type ActionContext } from './actioncontext.js';
import { expandCommand, outputText as plainTextOf, templateData, type CustomCommand } from './custom.js';
import { banner } from './session/jobs.js';
import { targets } from './state/list.js';

let nextOutput = 1;

/** Waits for Enter on the terminal (cooked mode: the job has it), so the command's output can be read. */
function waitEnter(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.stdin.off('data', onData);
      signal.removeEventListener('abort', done);
      process.stdin.pause();
      resolve();
    };
    // Ink set an encoding on stdin: chunks may be strings.
    const onData = (d: Buffer | string) => {
      if (/[\r\n]/.test(typeof d === 'string' ? d : d.toString('latin1'))) done();
    };
    process.stdin.on('data', onData);
    signal.addEventListener('abort', done);
    // Ink unrefs stdin when it unmounts: unreferenced, a paused-then-resumed tty keeps nothing alive
    // and node would simply exit here.
    process.stdin.ref();
    process.stdin.resume();
  });
}

/**
 * Runs a custom command (keys.json customCommands) over the selection, where its `output` says: the
 * whole terminal, an overlay with its output, or the background with one status line at the end.
 * Never throws: a bad template or a failed start is the status line's error.
 */
export function runCustom(c: ActionContext, cmd: CustomCommand): void {
  const { ui, rows, data } = c.current();
  const pane = ui.pane;
  const list = ui.lists[pane];
  const row = rows[list.cursor];
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const ids = targets(list, rows.map((r) => r.key)).map((k) => byKey.get(k)?.target ?? k);
  const r = expandCommand(cmd, templateData(pane, row, data, ids));
  if ('error' in r) return say(c, r.error, 'error');
  const line = r.line;
  const ended = (code: number, error?: string, last?: string) => {
    c.reload();
    if (error) return say(c, `${cmd.name}: ${error}`, 'error');
    if (code === 0) return say(c, `${cmd.name}: done${last ? `: ${last}` : ''}`, 'ok');
    say(c, `${cmd.name}: exit code ${code}${last ? `: ${last}` : ''}`, 'error');
  };
  if (cmd.output === 'terminal') {
    const ok = c.handOff(async (signal) => {
      // The user's command gets the terminal as their shell would give it: cooked, echoing.
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
      banner(`${cmd.name}: ${line}`);
      const res = await c.host.runCommand(line, { terminal: true, signal });
      if (!signal.aborted) {
        process.stdout.write(`\r\n\x1b[2m-- ${cmd.name}: ${res.error ?? `exit code ${res.code}`}; enter returns to ctui --\x1b[0m`);
        await waitEnter(signal);
      }
      c.reload();
      return res.error ? { text: `${cmd.name}: ${res.error}`, tone: 'error' } : { text: `${cmd.name}: exit code ${res.code}`, tone: res.code === 0 ? 'ok' : 'error' };
    });
    if (!ok) say(c, `${cmd.name}: the terminal is busy`, 'error');
    return;
  }
  let tail = '';
  const keepLast = (text: string) => {
    const t = (tail + text).split('\n');
    tail = t.filter((x) => x.trim()).pop() ?? tail;
  };
  if (cmd.output === 'pane') {
    const id = nextOutput++;
    c.dispatch({ type: 'openOutput', id, title: `${cmd.name}: ${line}` });
    say(c, `${cmd.name}: running`, 'progress');
    void c.host.runCommand(line, { terminal: false, onOutput: (t) => c.dispatch({ type: 'outputText', id, text: plainTextOf(t) }) }).then((res) => {
      c.dispatch({ type: 'outputText', id, text: '', done: true });
      ended(res.code, res.error);
    });
    return;
  }
  say(c, `${cmd.name}: running in the background`, 'progress');
  void c.host.runCommand(line, { terminal: false, onOutput: (t) => keepLast(plainTextOf(t)) }).then((res) => ended(res.code, res.error, tail.trim()));
}
