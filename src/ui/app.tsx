import { render, useApp, useInput } from 'ink';
import { splitChunk } from './chunks.js';
import { modeKey } from './modekeys.js';
import type { UiAction } from './state/ui.js';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { Engine } from '../core/engine.js';
import { Actions } from './actions.js';
import { nameOf } from './actioncontext.js';
import type { TuiHost } from './host.js';
import { useDetail } from './hooks/useDetail.js';
import { useEngineData } from './hooks/useEngineData.js';
import { useTermSize } from './hooks/useTermSize.js';
import { actionFor, defaultBindings, keyHint, keyName, keysOf, parseKeyConfig, switchSessionKey, type Bindings, type InkKey } from './keymap.js';
import { layoutFor } from './layout.js';
import { detailLines } from './panes/DetailPane.js';
import { filterRows, rowsFor } from './state/rows.js';
import { initialUi, uiReducer, type PaneKind, type Tone, type UiState } from './state/ui.js';
import { View } from './view.js';
import type { Job } from './session/job.js';
import { PaneSession, type PaneTarget } from './session/inpane.js';
import { besidePane, paneEnded, startError } from './session/jobs.js';
import { findOwnKey, keyBytes } from './session/keys.js';
import { describeDetachKeys, ENTER_ALT, LEAVE_ALT } from '../term/screen.js';
import { discardTypedInput } from '../term/input.js';
import { shownLines } from './state/logs.js';

export interface AppProps {
  readonly engine: Engine;
  readonly host: TuiHost;
  readonly bindings: Bindings;
  readonly configError?: string | undefined;
  /** The state to start from: after a full-screen session the UI comes back where it was. */
  readonly initial?: UiState | undefined;
  /** Hands the terminal to a job (attach, exec, run -it); the app is unmounted meanwhile. */
  readonly handOff?: ((ui: UiState, job: Job) => boolean) | undefined;
  /** Back from a full-screen session that started in the pane: open it in the pane again. */
  readonly resumePane?: PaneTarget | PaneSession | undefined;
}

/** The live app: state (one reducer), the engine's data and events, keys, and the View. */
export function App({ engine, host, bindings, configError, initial, handOff, resumePane }: AppProps) {
  const { exit } = useApp();
  const [ui, reactDispatch] = useReducer(uiReducer, undefined, () => {
    if (initial) return initial;
    const s = initialUi('containers');
    return configError ? uiReducer(s, { type: 'status', text: configError, tone: 'error' }) : s;
  });
  const { data, reload, generation, measure } = useEngineData(engine);
  const { cols, lines } = useTermSize();
  // "Up 3 minutes" ages without any event: a slow clock re-renders the times (no engine reads).
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 30_000);
    return () => clearInterval(t);
  }, []);
  const now = useMemo(() => Date.now(), [data, generation, tick]);
  // Only the shown pane's rows are built (1,000 containers: the other panes cost nothing).
  const paneRows = useMemo(() => rowsFor(ui.pane, data, now), [ui.pane, data, now]);
  const rows = useMemo(() => filterRows(paneRows, ui.filters[ui.pane]), [paneRows, ui.pane, ui.filters]);
  const L = layoutFor(cols, lines, ui.focus);
  const ids = useMemo(() => rows.map((r) => r.key), [rows]);
  const view = { ids, height: L.listRows };

  // Rows came or went (events, filter): keep the selection on the same object, drop stale marks.
  useEffect(() => {
    dispatch({ type: 'list', action: { type: 'sync' }, view });
    dispatch({ type: 'list', action: { type: 'dropMarks', ids: paneRows.map((r) => r.key) }, view });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ids, L.listRows, ui.pane]);

  const list = ui.lists[ui.pane];
  // The containers on screen get their writable layer's size (the SIZE column), measured once each.
  useEffect(() => {
    if (ui.pane === 'containers') measure(rows.slice(list.offset, list.offset + L.listRows).map((r) => r.objectId));
  }, [ui.pane, rows, list.offset, L.listRows, measure]);
  const selected = rows[list.cursor];
  const tab = ui.tabs[ui.pane];
  const detail = useDetail(engine, ui.pane, tab, selected, generation);

  const state = useRef<{ ui: UiState; rows: typeof rows; data: typeof data; detail: typeof detail }>({ ui, rows, data, detail });
  state.current = { ui, rows, data, detail };
  // The reducer is pure: applying it here too keeps state.current.ui up to date between a dispatch and
  // the next render, so several keys handled in one tick (a pasted chunk) each see the last one's effect.
  const dispatch = useCallback((a: UiAction) => {
    state.current.ui = uiReducer(state.current.ui, a);
    reactDispatch(a);
  }, []);
  const openPaneRef = useRef<((t: PaneTarget) => Promise<void>) | undefined>(undefined);
  const actions = useMemo(() => new Actions({
    engine,
    host,
    dispatch,
    current: () => ({ ...state.current, logRing: state.current.detail?.logs?.ring, logTitle: state.current.detail?.title ?? '' }),
    reload,
    quit: () => exit(),
    writeTerminal: (s) => process.stdout.write(s),
    openPane: (t) => void openPaneRef.current?.(t),
    switchKey: switchSessionKey(bindings),
    handOff: (job) => {
      if (!handOff) {
        dispatch({ type: 'status', text: 'no terminal to hand over here', tone: 'error' });
        return false;
      }
      // A session in the pane waits through the job (off the pane first: the unmount closes what is there).
      const ps = paneSession.current;
      if (!ps) return handOff(state.current.ui, job);
      paneSession.current = undefined;
      if (handOff(state.current.ui, besidePane(job, ps))) return true;
      paneSession.current = ps;
      return false;
    },
  }), [engine, host, reload, exit, handOff, bindings]);

  useEffect(() => {
    host.trace('frame');
  });

  // The in-pane session (A): lives outside the reducer (it owns a stream and a headless terminal).
  const paneSession = useRef<PaneSession | undefined>(undefined);
  const [, setPaneFrame] = useState(0);
  const size = useRef({ cols, lines });
  size.current = { cols, lines };
  // A session in the pane: its end (exit, detach keys, or a failed start) gives the focus back to the list.
  const showPane = useCallback((p: PaneSession, focus = true) => {
    paneSession.current = p;
    const paneGone = (r: { text: string; tone: Tone }) => {
      if (paneSession.current !== p) return;
      paneSession.current = undefined;
      p.close();
      dispatch({ type: 'focus', focus: 'list' });
      dispatch({ type: 'status', text: r.text, tone: r.tone });
      setPaneFrame((n) => n + 1);
    };
    p.adopt(() => setPaneFrame((n) => n + 1), (end) => {
      if (!(end instanceof Error)) return paneGone(paneEnded(p, end));
      if (p.target.kind === 'exec') p.target.onFailedStart?.();
      paneGone({ text: `exec in ${p.name}: ${startError(end)}`, tone: 'error' });
    });
    if (focus) dispatch({ type: 'focus', focus: 'detail' });
    setPaneFrame((n) => n + 1);
  }, []);
  const openPane = useCallback(async (t: PaneTarget) => {
    // The pane shows one session: an attach there gives way (a detach loses nothing), an exec does not
    // (closing it would hang its shell up).
    const there = paneSession.current;
    if (there?.target.kind === 'exec') return dispatch({ type: 'status', text: `the pane has ${there.title}: end it first (enter gives it the keys)`, tone: 'error' });
    const Ld = layoutFor(size.current.cols, size.current.lines, 'detail');
    try {
      const p = await PaneSession.open(engine, t, { cols: Ld.detailWidth, rows: Math.max(1, Ld.detailHeight - 1) }, host.detachKeys(), () => setPaneFrame((n) => n + 1));
      paneSession.current?.close();
      showPane(p);
      dispatch({ type: 'status', text: t.kind === 'attach' ? `attached to ${t.name} in the pane` : `${p.title}: ${describeDetachKeys(host.detachKeys())} closes it, ${switchSessionKey(bindings)} full screen`, tone: 'ok' });
    } catch (err) {
      dispatch({ type: 'status', text: `${t.kind} ${t.name}: ${err instanceof Error ? err.message : String(err)}`, tone: 'error' });
    }
  }, [engine, host, showPane, bindings]);
  openPaneRef.current = openPane;
  useEffect(() => {
    if (resumePane instanceof PaneSession) showPane(resumePane, initial?.focus === 'detail');
    else if (resumePane) void openPane(resumePane);
    return () => paneSession.current?.close();
  }, [resumePane, openPane, showPane, initial]);
  const Lnow = layoutFor(cols, lines, ui.focus);
  useEffect(() => {
    paneSession.current?.resize(Lnow.detailWidth, Math.max(1, Lnow.detailHeight - 1));
  }, [Lnow.detailWidth, Lnow.detailHeight]);

  const onKey = useCallback((input: string, k: InkKey) => {
    host.trace('key');
    const key = keyName(input, k);
    const { ui } = state.current;
    const m = ui.mode;
    const ps = paneSession.current;
    if (ps && ui.focus === 'detail' && m.kind === 'normal') {
      // Every key is the container's while its pane has the focus; the switch key (ctrl-t) takes it
      // full screen (and there brings it back); the focus key gives the keys to the list, the session
      // running on; the detach keys end it (the session's own matcher).
      const focusKeys = keysOf(bindings, 'sessionFocus');
      const own = findOwnKey(input, k, [switchSessionKey(bindings), ...focusKeys]);
      if (own) {
        // Keys before it are the session's; after it, the session's still (full screen) or the list's.
        if (own.before) ps.send(own.before);
        onKey(own.key.slice(-1), { ...k, ctrl: true });
        if (!own.after) return;
        if (own.key !== switchSessionKey(bindings)) return void (splitChunk(own.after, k) ?? [[own.after, k] as const]).forEach(([i, kk]) => onKey(i, kk));
        return ps.send(own.after);
      }
      if (key === switchSessionKey(bindings)) {
        // The same session full screen, mirrored. Off the pane first (the hand-off unmounts the app,
        // whose cleanup closes the pane's session); back in it if the hand-off is refused.
        paneSession.current = undefined;
        if (!actions.sessions.handOffPane(ps)) paneSession.current = ps;
      } else if (focusKeys.includes(key)) dispatch({ type: 'focus', focus: 'list' });
      else ps.send(keyBytes(input, k));
      return;
    }
    // The focus key on the list: back to the session in the pane (enter does it too: details).
    if (ps && ui.focus === 'list' && m.kind === 'normal' && keysOf(bindings, 'sessionFocus').includes(key)) return dispatch({ type: 'focus', focus: 'detail' });
    if (modeKey(m, key, input, k, dispatch, actions)) return;
    if (key === 'esc' && actions.cancel()) return;
    // Esc on a list: clear its filter, then its marks.
    if (key === 'esc' && ui.focus === 'list') {
      if (ui.filters[ui.pane]) return dispatch({ type: 'clearFilter', target: 'list' });
      if (ui.lists[ui.pane].marks.size) return dispatch({ type: 'list', action: { type: 'unmarkAll' }, view: { ids: [], height: 1 } });
    }
    const onLogs = ui.focus === 'detail' && ui.tabs[ui.pane] === 'logs';
    const context = ui.focus === 'list' ? 'list' : onLogs ? 'logs' : 'detail';
    const a = actionFor(bindings, key, context);
    if (!a) return;
    const s = state.current;
    const height = layoutFor(cols, lines, ui.focus).listRows;
    const lv = { ids: s.rows.map((r) => r.key), height };
    const inDetail = ui.focus === 'detail';
    const detailH = layoutFor(cols, lines, 'detail').detailHeight - 1;
    const scrollMax = () => (s.detail ? Math.max(0, detailLines(ui, s.detail, layoutFor(cols, lines, 'detail').detailWidth).length - detailH) : 0);
    const logMax = () => (s.detail?.logs ? Math.max(0, shownLines(s.detail.logs.ring, ui.log.filter, ui.log.context).length - 1) : 0);
    const move = (delta: number | 'start' | 'end') => {
      if (!inDetail) {
        if (delta === 'start') dispatch({ type: 'list', action: { type: 'moveTo', index: 0 }, view: lv });
        else if (delta === 'end') dispatch({ type: 'list', action: { type: 'moveTo', index: -1 }, view: lv });
        else dispatch({ type: 'list', action: { type: 'move', delta }, view: lv });
      } else if (onLogs) dispatch({ type: 'logScroll', delta: typeof delta === 'number' ? -delta : delta === 'start' ? 'start' : 'end', max: logMax() });
      else dispatch({ type: 'detailScroll', delta, max: scrollMax() });
    };
    switch (a.id) {
      case 'quit': return actions.quit();
      case 'help': return dispatch({ type: 'help' });
      case 'nextPane': return dispatch({ type: 'cyclePane', delta: 1 });
      case 'prevPane': return dispatch({ type: 'cyclePane', delta: -1 });
      case 'images': case 'containers': case 'volumes': return dispatch({ type: 'pane', pane: a.id as PaneKind });
      case 'command': return dispatch({ type: 'startCommand' });
      case 'filter': return dispatch({ type: 'startFilter', target: onLogs ? 'logs' : 'list' });
      case 'up': return move(-1);
      case 'down': return move(1);
      case 'pageUp': return inDetail ? move(-(detailH - 1)) : dispatch({ type: 'list', action: { type: 'page', direction: -1 }, view: lv });
      case 'pageDown': return inDetail ? move(detailH - 1) : dispatch({ type: 'list', action: { type: 'page', direction: 1 }, view: lv });
      case 'top': return move('start');
      case 'bottom': return move('end');
      case 'details': return dispatch({ type: 'focus', focus: 'detail' });
      case 'back':
        if (onLogs && ui.log.filter) return dispatch({ type: 'clearFilter', target: 'logs' });
        return dispatch({ type: 'focus', focus: 'list' });
      case 'prevTab': return dispatch({ type: 'cycleTab', delta: -1 });
      case 'nextTab': return dispatch({ type: 'cycleTab', delta: 1 });
      case 'logs':
        if (ui.pane !== 'containers') return dispatch({ type: 'status', text: 'logs are for containers', tone: 'error' });
        dispatch({ type: 'tab', tab: 'logs' });
        return dispatch({ type: 'focus', focus: 'detail' });
      case 'inspect':
        dispatch({ type: 'tab', tab: 'inspect' });
        return dispatch({ type: 'focus', focus: 'detail' });
      case 'copyId': return actions.copyId();
      case 'stop': return void actions.startStop();
      case 'restart': return void actions.restart();
      case 'pause': return void actions.pause();
      case 'remove': return actions.askRemove();
      case 'prune': return actions.askPrune();
      case 'mark': return dispatch({ type: 'list', action: { type: 'mark' }, view: lv });
      case 'markRange': return dispatch({ type: 'list', action: { type: 'markRange' }, view: lv });
      case 'extendDown': case 'extendUp': return dispatch({ type: 'list', action: { type: 'extend', delta: a.id === 'extendDown' ? 1 : -1 }, view: lv });
      case 'unmarkAll': return dispatch({ type: 'list', action: { type: 'unmarkAll' }, view: lv });
      case 'attach': return actions.sessions.attach();
      case 'attachPane': {
        const row = actions.sessions.sessionTarget('attach');
        return void (row && openPane({ kind: 'attach', id: row.target, name: nameOf(row) }));
      }
      case 'execPane': return actions.sessions.exec('pane');
      case 'exec': return actions.sessions.exec();
      case 'run': return actions.sessions.openRun();
      case 'commit': return actions.sessions.openCommit();
      case 'wrap': return dispatch({ type: 'logToggle', what: 'wrap' });
      case 'timestamps': return dispatch({ type: 'logToggle', what: 'timestamps' });
      case 'context': return dispatch({ type: 'logContext' });
      case 'saveLogs': return void actions.saveLogs();
    }
  }, [actions, bindings, cols, lines, exit, host, openPane]);

  // Keys that came in one read (typed fast, pasted) are taken one by one; while a session in the pane
  // has the focus every byte is the container's, as it came.
  useInput((input: string, k: InkKey) => {
    const toPane = paneSession.current !== undefined && state.current.ui.focus === 'detail' && state.current.ui.mode.kind === 'normal';
    const parts = toPane ? undefined : splitChunk(input, k);
    if (!parts) return onKey(input, k);
    for (const [i, kk] of parts) onKey(i, kk);
  });

  const counts: Record<PaneKind, number> = {
    images: data.images.reduce((n, i) => n + Math.max(1, i.RepoTags.length), 0), // one row per tag, as the list
    containers: data.containers.length,
    volumes: data.volumes.length,
  };
  const ps = paneSession.current;
  const session = ps ? { title: ps.title, lines: ps.lines(ui.focus === 'detail'), keys: `${describeDetachKeys(host.detachKeys())} ${ps.target.kind === 'attach' ? 'detach' : 'close'}  ${switchSessionKey(bindings)} full screen  ${keyHint(bindings, 'sessionFocus')} list` } : undefined;
  return <View ui={ui} rows={rows} counts={counts} detail={detail} bindings={bindings} cols={cols} lines={lines} error={data.error} session={session} />;
}

/** Loads the user's keys (a bad file: one error in the status line, the defaults kept). */
export function loadBindings(host: TuiHost): { bindings: Bindings; detachKeys?: string | undefined; error?: string | undefined } {
  const cfg = host.readKeyConfig();
  if (!cfg) return { bindings: defaultBindings() };
  const r = parseKeyConfig(cfg.text, cfg.source);
  return { bindings: r.bindings, detachKeys: r.detachKeys, error: r.error };
}


export async function runApp(opts: { root: string; host: TuiHost }): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write('ctui: the terminal UI needs a terminal (try `ctui --help` for the CLI)\n');
    return 125;
  }
  const { EmbeddedEngine } = await import('../core/embedded.js');
  const engine = await EmbeddedEngine.open(opts.root);
  const { bindings, detachKeys, error } = loadBindings(opts.host);
  // CTUI_DETACH_KEYS wins over keys.json's detachKeys (docker: --detach-keys over config.json).
  const host: TuiHost = { ...opts.host, detachKeys: () => opts.host.detachKeys() ?? detachKeys };
  if ('NO_COLOR' in process.env && process.env.NO_COLOR !== '') {
    // Ink colours through chalk: level 0 makes every colour a no-op (inverse and bold stay in our own theme).
    const chalk = (await import('chalk')).default;
    chalk.level = 0;
  }

  // The alternate screen keeps the user's scrollback intact; it is left on every way out: normal
  // exit, exceptions, SIGTERM, SIGHUP, SIGINT (Ink restores the tty mode when it unmounts).
  process.stdout.write(ENTER_ALT);
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
    process.stdout.write(LEAVE_ALT);
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
  let resume: PaneTarget | PaneSession | undefined;
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
    render(<App engine={engine} host={host} bindings={bindings} configError={saved ? undefined : error} initial={saved} handOff={handOff} resumePane={resume} />, {
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
      process.stdout.write(LEAVE_ALT);
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
      process.stdout.write('\r\n' + ENTER_ALT);
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
