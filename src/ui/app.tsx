import { useApp, useInput } from 'ink';
import { splitChunk } from './chunks.js';
import { modeKey } from './modekeys.js';
import type { UiAction } from './state/ui.js';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { Engine } from '../core/engine.js';
import { Actions } from './actions.js';
import { handlerFor } from './handlers.js';
import type { TuiHost } from './host.js';
import { useDetail } from './hooks/useDetail.js';
import { useEngineData } from './hooks/useEngineData.js';
import { useRelativeTimes } from './hooks/useRelativeTimes.js';
import { useTermSize } from './hooks/useTermSize.js';
import { actionFor, keyName, switchSessionKey, type Bindings, type InkKey } from './keymap.js';
import { layoutFor } from './layout.js';
import { detailLines } from './panes/DetailPane.js';
import { filterRows } from './state/rows.js';
import { rowsReusing } from './state/rowcache.js';
import { initialUi, uiReducer, type PaneKind, type Tone, type UiState } from './state/ui.js';
import { View } from './view.js';
import type { Job } from './session/job.js';
import { PaneSession, type PaneTarget } from './session/inpane.js';
import { paneEnded, startError } from './session/jobs.js';
import { keyBytes } from './session/keys.js';
import { describeDetachKeys } from '../term/screen.js';
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
  // "Up 3 seconds" ages without any event: useRelativeTimes bumps tick when a shown time would change.
  const [tick, setTick] = useState(0);
  const now = useMemo(() => Date.now(), [data, generation, tick]);
  // Only the shown pane's rows are built (1,000 containers: the other panes cost nothing).
  const paneRows = useMemo(() => rowsReusing(ui.pane, data, now), [ui.pane, data, now]);
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
  useRelativeTimes(ui.pane, data, rows, list.offset, L.listRows, L.listWidth, now, setTick);
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
      return handOff(state.current.ui, job);
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
  const showPane = useCallback((p: PaneSession) => {
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
    dispatch({ type: 'focus', focus: 'detail' });
    setPaneFrame((n) => n + 1);
  }, []);
  const openPane = useCallback(async (t: PaneTarget) => {
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
    if (resumePane instanceof PaneSession) showPane(resumePane);
    else if (resumePane) void openPane(resumePane);
    return () => paneSession.current?.close();
  }, [resumePane, openPane, showPane]);
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
      // full screen (and there brings it back); the detach keys end it (the session's own matcher).
      if (key === switchSessionKey(bindings)) {
        // An attach is joined again full screen; an exec is one process: the same session, mirrored.
        // Off the pane first (the hand-off unmounts the app, whose cleanup closes the pane's session);
        // back in it if the hand-off is refused.
        paneSession.current = undefined;
        if (!actions.sessions.handOffPane(ps)) paneSession.current = ps;
        else if (ps.target.kind === 'attach') ps.close();
      } else ps.send(keyBytes(input, k));
      return;
    }
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
    const page = (direction: 1 | -1) => (inDetail ? move(direction * (detailH - 1)) : dispatch({ type: 'list', action: { type: 'page', direction }, view: lv }));
    handlerFor(a.id)?.({ ui, dispatch, actions, list: lv, onLogs, move, page, openPane: (t) => void openPane(t) });
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
  const session = ps ? { title: ps.title, lines: ps.lines(ui.focus === 'detail'), keys: `${switchSessionKey(bindings)} full screen  ${describeDetachKeys(host.detachKeys())} ${ps.target.kind === 'attach' ? 'detach' : 'close'}` } : undefined;
  return <View ui={ui} rows={rows} counts={counts} detail={detail} bindings={bindings} cols={cols} lines={lines} error={data.error} session={session} help={{ keysFile: host.keyConfigPath(), detachKeys: host.detachKeys() }} />;
}
