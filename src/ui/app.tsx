import { useApp, useInput } from 'ink';
import { splitChunk } from './chunks.js';
import { modeKey } from './modekeys.js';
import type { UiAction } from './state/ui.js';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { Engine } from '../core/engine.js';
import { Actions, type ActionContext } from './actions.js';
import { customFor, type CustomCommand } from './custom.js';
import { runCustom } from './custom-actions.js';
import { handlerFor } from './handlers.js';
import { hitTest, parseMouse, type MouseEvent } from './mouse.js';
import type { TuiHost } from './host.js';
import { useDetail } from './hooks/useDetail.js';
import { useEngineData } from './hooks/useEngineData.js';
import { useRelativeTimes } from './hooks/useRelativeTimes.js';
import { useTermSize } from './hooks/useTermSize.js';
import { actionFor, keyHint, keyName, keysOf, switchSessionKey, type Bindings, type InkKey } from './keymap.js';
import { layoutFor, tooSmall } from './layout.js';
import { detailLines } from './panes/DetailPane.js';
import { isUp } from './state/rows.js';
import { rowsReusing } from './state/rowcache.js';
import { shownRows } from './state/sort.js';
import { initialUi, uiReducer, type PaneKind, type Tone, type UiState } from './state/ui.js';
import { paneLabels, View } from './view.js';
import type { Job } from './session/job.js';
import { PaneSession, type PaneTarget } from './session/inpane.js';
import { besidePane, paneEnded, startError } from './session/jobs.js';
import { findOwnKey, keyBytes } from './session/keys.js';
import { describeDetachKeys } from '../term/screen.js';
import { logSearchStep, logMove, type LogKeyContext } from './logkeys.js';

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
  readonly resumePane?: PaneSession | undefined;
  /** The user's customCommands from keys.json. */
  readonly custom?: readonly CustomCommand[] | undefined;
}

/** Modes that take text as typed (a whole chunk at once) rather than keys. */
const typing = (m: UiState['mode']['kind']) => m === 'filter' || m === 'command' || m === 'prompt' || m === 'form';

/** The live app: state (one reducer), the engine's data and events, keys, and the View. */
export function App({ engine, host, bindings, configError, initial, handOff, resumePane, custom = [] }: AppProps) {
  const { exit } = useApp();
  const [ui, reactDispatch] = useReducer(uiReducer, undefined, () => {
    if (initial) return initial;
    const s = initialUi('containers');
    return configError ? uiReducer(s, { type: 'status', text: configError, tone: 'error' }) : s;
  });
  const { data, reload, generation, measure } = useEngineData(engine);
  const { cols, lines } = useTermSize();
  // "Up 3 seconds" ages without any event: useRelativeTimes bumps tick when a shown time would change.
  const [tick, setTick] = useState(0);
  const now = useMemo(() => Date.now(), [data, generation, tick]);
  // Only the shown pane's rows are built (1,000 containers: the other panes cost nothing).
  const paneRows = useMemo(() => rowsReusing(ui.pane, data, now), [ui.pane, data, now]);
  const rows = useMemo(() => shownRows(ui, paneRows), [paneRows, ui.pane, ui.filters, ui.sorts, ui.runningOnly]); // eslint-disable-line react-hooks/exhaustive-deps
  const L = layoutFor(cols, lines, ui.focus);
  const ids = useMemo(() => rows.map((r) => r.key), [rows]);
  const view = { ids, height: L.listRows };

  // Rows came or went (events, filter): keep the selection on the same object, drop stale marks.
  useEffect(() => {
    dispatch({ type: 'list', action: { type: 'sync' }, view });
    dispatch({ type: 'list', action: { type: 'dropMarks', ids: paneRows.map((r) => r.key) }, view });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ids, L.listRows, ui.pane]);

  // After the sync above: the rows and the cursor are those of this frame.
  useEffect(() => {
    if (!later.current.length) return;
    const q = later.current.splice(0);
    dispatch({ type: 'list', action: { type: 'sync' }, view: { ids: state.current.rows.map((r) => r.key), height: L.listRows } });
    for (const f of q) f();
  });

  const list = ui.lists[ui.pane];
  useRelativeTimes(ui.pane, data, rows, list.offset, L.listRows, L.listWidth, now, setTick);
  // The containers on screen get their writable layer's size (the SIZE column), measured once each.
  useEffect(() => {
    if (ui.pane === 'containers') measure(rows.slice(list.offset, list.offset + L.listRows).map((r) => r.objectId));
  }, [ui.pane, rows, list.offset, L.listRows, measure]);
  const selected = rows[list.cursor];
  const tab = ui.tabs[ui.pane];
  const detail = useDetail(engine, ui.pane, tab, selected, generation, { view: ui.log, trace: host.trace });

  const state = useRef<{ ui: UiState; rows: typeof rows; data: typeof data; detail: typeof detail }>({ ui, rows, data, detail });
  state.current = { ui, rows, data, detail };
  // The reducer is pure: applying it here too keeps state.current.ui up to date between a dispatch and
  // the next render, so several keys handled in one tick (a pasted chunk) each see the last one's effect.
  const dispatch = useCallback((a: UiAction) => {
    state.current.ui = uiReducer(state.current.ui, a);
    reactDispatch(a);
  }, []);
  const performRef = useRef<((id: string) => void) | undefined>(undefined);
  // Work for after the next frame (the `:` line selects a row, then acts on it), drained below.
  const later = useRef<Array<() => void>>([]);
  const [, setLaterTick] = useState(0);
  const headerCounts = useRef<Record<PaneKind, number>>({ images: 0, containers: 0, volumes: 0 });
  const openPaneRef = useRef<((t: PaneTarget) => Promise<void>) | undefined>(undefined);
  const ctx = useMemo((): ActionContext => ({
    engine,
    host,
    dispatch,
    current: () => ({ ...state.current, logRing: state.current.detail?.logs?.ring, logTitle: state.current.detail?.title ?? '' }),
    reload,
    quit: () => exit(),
    writeTerminal: (s) => process.stdout.write(s),
    openPane: (t) => void openPaneRef.current?.(t),
    perform: (id) => performRef.current?.(id),
    afterRender: (fn) => {
      later.current.push(fn);
      setLaterTick((n) => n + 1);
    },
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
  const actions = useMemo(() => new Actions(ctx), [ctx]);

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
    if (resumePane) showPane(resumePane, initial?.focus === 'detail');
    return () => paneSession.current?.close();
  }, [resumePane, showPane, initial]);
  const Lnow = layoutFor(cols, lines, ui.focus);
  useEffect(() => {
    paneSession.current?.resize(Lnow.detailWidth, Math.max(1, Lnow.detailHeight - 1));
  }, [Lnow.detailWidth, Lnow.detailHeight]);

  /** The Logs tab as its keys see it: the log on screen and the tab's size. */
  const logCtx = useCallback((): LogKeyContext => {
    const Ld = layoutFor(size.current.cols, size.current.lines, 'detail');
    return { ui: state.current.ui, data: state.current.data, logs: state.current.detail?.logs, width: Ld.detailWidth, height: Ld.detailHeight - 1 };
  }, []);

  /** Runs an action of the table on the state as it is now (keys, clicks and the wheel come here). */
  const perform = useCallback((id: string) => {
    const s = state.current;
    const { ui } = s;
    const onLogs = ui.focus === 'detail' && ui.tabs[ui.pane] === 'logs';
    const height = layoutFor(cols, lines, ui.focus).listRows;
    const lv = { ids: s.rows.map((r) => r.key), height };
    const inDetail = ui.focus === 'detail';
    const detailH = layoutFor(cols, lines, 'detail').detailHeight - 1;
    const scrollMax = () => (s.detail ? Math.max(0, detailLines(ui, s.detail, layoutFor(cols, lines, 'detail').detailWidth).length - detailH) : 0);
    const move = (delta: number | 'start' | 'end') => {
      if (!inDetail) {
        if (delta === 'start') dispatch({ type: 'list', action: { type: 'moveTo', index: 0 }, view: lv });
        else if (delta === 'end') dispatch({ type: 'list', action: { type: 'moveTo', index: -1 }, view: lv });
        else dispatch({ type: 'list', action: { type: 'move', delta }, view: lv });
      } else if (onLogs) dispatch(logMove(logCtx(), delta));
      else dispatch({ type: 'detailScroll', delta, max: scrollMax() });
    };
    const page = (direction: 1 | -1) => (inDetail ? move(direction * (detailH - 1)) : dispatch({ type: 'list', action: { type: 'page', direction }, view: lv }));
    handlerFor(id)?.({ ui, dispatch, actions, list: lv, onLogs, move, page, log: logCtx, openPane: (t) => void openPane(t) });
  }, [actions, cols, lines, openPane]);

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
    if (m.kind === 'filter' && m.target === 'search' && key === 'enter') {
      dispatch({ type: 'commit' });
      return dispatch(logSearchStep(logCtx(), 'first'));
    }
    if (modeKey(m, key, input, k, dispatch, actions, layoutFor(cols, lines, ui.focus).bodyHeight - 1)) return;
    if (key === 'esc' && actions.cancel()) return;
    // Esc on a list: clear its filter, then its marks.
    if (key === 'esc' && ui.focus === 'list') {
      if (ui.filters[ui.pane]) return dispatch({ type: 'clearFilter', target: 'list' });
      if (ui.lists[ui.pane].marks.size) return dispatch({ type: 'list', action: { type: 'unmarkAll' }, view: { ids: [], height: 1 } });
    }
    const onLogs = ui.focus === 'detail' && ui.tabs[ui.pane] === 'logs';
    const context = ui.focus === 'list' ? 'list' : onLogs ? 'logs' : 'detail';
    // The user's own commands first: a key they bound wins over a built-in one (keys.json says so).
    // A pane's own commands on its list; global ones on the detail pane too.
    const own = customFor(ui.focus === 'list' ? custom : custom.filter((c) => c.context === 'global'), key, ui.pane);
    if (own) return runCustom(ctx, own);
    const a = actionFor(bindings, key, context);
    if (a) perform(a.id);
  }, [actions, ctx, custom, bindings, cols, lines, host, perform]);

  performRef.current = perform;

  /** A click or the wheel: what is under the pointer gets the focus, then the table's action runs. */
  const onMouse = useCallback((e: MouseEvent) => {
    const { ui, rows, data } = state.current;
    if (tooSmall(cols, lines)) return;
    if (ui.mode.kind === 'help' || ui.mode.kind === 'output') {
      const d = e.kind === 'wheelUp' ? -3 : e.kind === 'wheelDown' ? 3 : 0;
      if (d && ui.mode.kind === 'help') dispatch({ type: 'helpScroll', delta: d });
      if (d && ui.mode.kind === 'output') dispatch({ type: 'outputScroll', delta: d, height: layoutFor(cols, lines, ui.focus).bodyHeight - 1 });
      return;
    }
    // Dialogs and forms are answered with keys; a stray click must not act behind them.
    if (ui.mode.kind !== 'normal' || e.kind === 'release') return;
    const L = layoutFor(cols, lines, ui.focus);
    const titles = paneLabels(headerCounts.current, ui.runningOnly ? data.containers.filter(isUp).length : undefined);
    const t = hitTest(L, ui.pane, ui.lists[ui.pane].offset, rows.length, titles, e.x, e.y);
    const focus = (f: 'list' | 'detail') => ui.focus !== f && dispatch({ type: 'focus', focus: f });
    if (e.kind === 'wheelUp' || e.kind === 'wheelDown') {
      if (t.kind === 'row' || t.kind === 'list') focus('list');
      else if (t.kind === 'detail' || t.kind === 'tab') focus('detail');
      else return;
      for (let i = 0; i < 3; i++) perform(e.kind === 'wheelUp' ? 'up' : 'down');
      return;
    }
    if (e.button !== 0) return;
    if (t.kind === 'pane') return perform(t.pane);
    if (t.kind === 'row') {
      focus('list');
      return dispatch({ type: 'list', action: { type: 'moveTo', index: t.index }, view: { ids: rows.map((r) => r.key), height: layoutFor(cols, lines, 'list').listRows } });
    }
    if (t.kind === 'list') return focus('list');
    if (t.kind === 'tab') {
      dispatch({ type: 'tab', tab: t.tab });
      return focus('detail');
    }
    if (t.kind === 'detail') focus('detail');
  }, [cols, lines, perform]);

  // Keys that came in one read (typed fast, pasted) are taken one by one; while a session in the pane
  // has the focus every byte is the container's, as it came.
  useInput((input: string, k: InkKey) => {
    // Mouse reports first: never a key, never the container's.
    const mouse = parseMouse(input);
    if (mouse) {
      for (const e of mouse) onMouse(e);
      return;
    }
    const toPane = paneSession.current !== undefined && state.current.ui.focus === 'detail' && state.current.ui.mode.kind === 'normal';
    if (toPane) return onKey(input, k);
    for (const [i, kk] of splitChunk(input, k) ?? [[input, k] as const]) {
      // Text typed faster than a read ("?G", "jjj") is one key per character where keys are
      // commands; in a line being edited it is typed as a whole. The mode can change in between ("/web").
      let rest = [...i];
      while (rest.length > 1 && !kk.ctrl && !kk.meta && rest.every((c) => c >= ' ')) {
        if (typing(state.current.ui.mode.kind)) break;
        onKey(rest[0]!, kk);
        rest = rest.slice(1);
      }
      if (rest.length || !i) onKey(rest.join(''), kk);
    }
  });

  const counts: Record<PaneKind, number> = {
    images: data.images.reduce((n, i) => n + Math.max(1, i.RepoTags.length), 0), // one row per tag, as the list
    containers: data.containers.length,
    volumes: data.volumes.length,
  };
  headerCounts.current = counts;
  const ps = paneSession.current;
  const session = ps ? { title: ps.title, lines: ps.lines(ui.focus === 'detail'), keys: `${describeDetachKeys(host.detachKeys())} ${ps.target.kind === 'attach' ? 'detach' : 'close'}  ${switchSessionKey(bindings)} full screen  ${keyHint(bindings, 'sessionFocus')} list` } : undefined;
  return <View ui={ui} rows={rows} counts={counts} detail={detail} bindings={bindings} cols={cols} lines={lines} error={data.error} session={session} help={{ keysFile: host.keyConfigPath(), detachKeys: host.detachKeys(), custom }} running={data.containers.filter(isUp).length} />;
}
