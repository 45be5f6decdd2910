import { render } from 'ink';
import { App } from './app.js';
import type { TuiHost } from './host.js';
import { defaultBindings, parseKeyConfig, type KeyConfig } from './keymap.js';
import type { Job } from './session/job.js';
import type { PaneSession } from './session/inpane.js';
import { uiReducer, type UiState } from './state/ui.js';
import { setTheme } from './components/theme.js';
import { loadTheme } from './theme-file.js';
import { ENTER_ALT, LEAVE_ALT } from '../term/screen.js';
import { discardTypedInput } from '../term/input.js';
import { MOUSE_OFF, MOUSE_ON } from './mouse.js';

/**
 * The terminal's lifecycle around the App component (as ink keeps its render loop in ink.tsx apart
 * from components/App.tsx): the alternate screen, raw mode, signals and crashes, and the hand-off of
 * the whole terminal to a job (attach, exec, run -it) with the App unmounted meanwhile and mounted
 * again from the state it left. The App itself only draws and handles keys.
 */

/** Loads the user's keys (a bad file: one error in the status line, the defaults kept). */
export function loadBindings(host: TuiHost): KeyConfig {
  const cfg = host.readKeyConfig();
  if (!cfg) return { bindings: defaultBindings() };
  return parseKeyConfig(cfg.text, cfg.source);
}


export async function runApp(opts: { root: string; host: TuiHost }): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write('ctui: the terminal UI needs a terminal (try `ctui --help` for the CLI)\n');
    return 125;
  }
  const { EmbeddedEngine } = await import('../core/embedded.js');
  const engine = await EmbeddedEngine.open(opts.root);
  const { bindings, detachKeys, error, custom, mouse = true } = loadBindings(opts.host);
  // Mouse reports only while the UI has the terminal (never while a container or a command has it);
  // "mouse": false in keys.json leaves the terminal's own selection alone.
  const mouseOn = mouse ? MOUSE_ON : '';
  const mouseOff = mouse ? MOUSE_OFF : '';
  // CTUI_DETACH_KEYS wins over keys.json's detachKeys (docker: --detach-keys over config.json).
  const host: TuiHost = { ...opts.host, detachKeys: () => opts.host.detachKeys() ?? detachKeys };
  // NO_COLOR is the theme's job (every colour undefined), not chalk's: chalk at level 0 would drop reverse and bold too.
  const look = loadTheme(opts.host);
  setTheme(look.theme);
  const configError = [error, look.error].filter(Boolean).join('; ') || undefined;

  // The alternate screen keeps the user's scrollback intact; it is left on every way out: normal
  // exit, exceptions, SIGTERM, SIGHUP, SIGINT (Ink restores the tty mode when it unmounts).
  process.stdout.write(ENTER_ALT + mouseOn);
  let left = false;
  let app: ReturnType<typeof render>;
  const leave = () => {
    if (left) return;
    left = true;
    try {
      app.unmount();
    } catch {
      /* already unmounted */
    }
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    process.stdout.write(mouseOff + LEAVE_ALT);
  };
  // While a job has the terminal, ctrl-c is the container's (a byte through its tty, or, without a
  // tty, the attach's own detach): SIGINT must not end the TUI. SIGTERM/SIGHUP still do, cleanly.
  let inJob = false;
  let jobAbort: AbortController | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (inJob && sig === 'SIGINT') return;
    jobAbort?.abort();
    leave();
    const code = 128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as Record<string, number>)[sig]!;
    // During exec the runtime is killed (the abort above) and restores nothing itself: our leave()
    // did; give the kill a moment to land before we go.
    if (inJob) setTimeout(() => process.exit(code), 300);
    else process.exit(code);
  };
  const onCrash = (err: unknown) => {
    leave();
    process.stderr.write(`ctui: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(125);
  };
  // Our handlers go first, before Ink's own (signal-exit), so the exit status says which signal it was.
  for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.on(sig, onSignal);
  // The UI state lives here between mounts: a job unmounts the tree and the next mount starts from it.
  let saved: UiState | undefined;
  let pending: Job | undefined;
  let resume: PaneSession | undefined;
  /** False when another job is already waiting for the terminal. */
  const handOff = (ui: UiState, job: Job): boolean => {
    if (pending) return false;
    // The prompt or form that started the job closes with it (its dispatch may not be in ui yet).
    saved = { ...ui, mode: { kind: 'normal' } };
    pending = job;
    app?.unmount();
    return true;
  };
  const mount = () =>
    render(<App engine={engine} host={host} bindings={bindings} configError={saved ? undefined : configError} initial={saved} handOff={handOff} resumePane={resume} custom={custom} />, {
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: 60,
      onRender: () => opts.host.trace('render'),
    });
  app = mount();
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  process.once('exit', leave);
  try {
    for (;;) {
      await app.waitUntilExit();
      const job = pending;
      if (!job) break;
      inJob = true;
      process.stdout.write(mouseOff + LEAVE_ALT);
      jobAbort = new AbortController();
      const r = await job(jobAbort.signal);
      jobAbort = undefined;
      inJob = false;
      pending = undefined;
      // Keys typed for the session and not yet read are dropped, never the UI's; those after the
      // switch key (back to the pane, which gets the keys) are the session's still, and reach it.
      if (r.focus !== 'detail') await discardTypedInput(process.stdin);
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
      // The session read stdin in flowing mode and paused it; node stops the tty's reading one tick
      // after a pause. Mounting before that tick would leave Ink's listener on a stream that never
      // reads again (every key after a detach unread): let it pass, then start reading.
      await new Promise((r) => setImmediate(r));
      process.stdin.read(0);
      process.stdout.write('\r\n' + ENTER_ALT + mouseOn);
      let next = uiReducer(saved!, { type: 'status', text: r.text, tone: r.tone });
      if (r.select) next = uiReducer(next, { type: 'select', pane: 'containers', id: r.select });
      if (r.focus) next = uiReducer(next, { type: 'focus', focus: r.focus });
      saved = next;
      resume = r.pane;
      app = mount();
    }
  } finally {
    leave();
    for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.off(sig, onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    process.off('exit', leave);
  }
  return 0;
}
