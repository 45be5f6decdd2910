import { Box, Text } from 'ink';
import { keyHint, type Bindings } from './keymap.js';
import { paneTitle } from './mouse.js';
import { layoutFor, MIN_COLS, MIN_ROWS, tooSmall } from './layout.js';
import { Dialog } from './components/Dialog.js';
import { Form } from './forms/Form.js';
import { OutputView } from './components/OutputView.js';
import { Help, type HelpInfo } from './components/Help.js';
import { StatusLine } from './components/StatusLine.js';
import { Table } from './components/Table.js';
import { accent, lines as border } from './components/theme.js';
import { DetailPane } from './panes/DetailPane.js';
import { SessionPane } from './panes/SessionPane.js';
import type { Span } from './session/screen.js';
import type { DetailData } from './panes/types.js';
import { COLUMNS, fit, type Row } from './state/rows.js';
import { sortArrow, type SortState } from './state/sort.js';
import { PANES, type PaneKind, type UiState } from './state/ui.js';

export interface ViewProps {
  readonly ui: UiState;
  /** The current pane's rows after the filter. */
  readonly rows: readonly Row[];
  readonly counts: Readonly<Record<PaneKind, number>>;
  readonly detail: DetailData | undefined;
  readonly bindings: Bindings;
  readonly cols: number;
  readonly lines: number;
  /** A load error (the store could not be read): shown above the status. */
  readonly error?: string | undefined;
  /** An in-pane session: drawn in place of the detail pane. */
  readonly session?: { readonly title: string; readonly lines: readonly Span[][]; readonly keys: string } | undefined;
  /** The keys file and detach keys in use, for the help. */
  readonly help?: HelpInfo | undefined;
  /** Containers up (running, paused, restarting): what the Containers pane shows with stopped ones hidden. */
  readonly running?: number | undefined;
}

/**
 * The whole frame as a function of state: no hooks, no engine, so the snapshot test renders exactly
 * what the live app renders.
 */
export function View({ ui, rows, counts, detail, bindings, cols, lines, error, session, help, running }: ViewProps) {
  if (tooSmall(cols, lines)) return <TooSmall cols={cols} lines={lines} />;
  const L = layoutFor(cols, lines, ui.focus);
  const list = ui.lists[ui.pane];
  const filter = ui.filters[ui.pane];
  const hiding = ui.runningOnly && ui.pane === 'containers' && running !== undefined;
  const empty = filter
    ? `no ${ui.pane} match "${filter}" (esc clears)`
    : hiding && counts.containers > 0
      ? `none running (${keyHint(bindings, 'runningOnly')} shows the ${counts.containers} stopped)`
      : ui.pane === 'containers'
        ? 'no containers (:run IMAGE to start one)'
        : `no ${ui.pane}`;
  const table = <Table pane={ui.pane} rows={rows} list={list} width={L.listWidth} height={L.listRows} focused={ui.focus === 'list'} emptyText={empty} sort={ui.sorts[ui.pane]} />;
  const pane = session
    ? <SessionPane title={session.title} keys={session.keys} lines={session.lines} width={L.detailWidth} height={L.detailHeight} focused={ui.focus === 'detail'} />
    : <DetailPane ui={ui} detail={detail} width={L.detailWidth} height={L.detailHeight} />;
  let body;
  if (ui.mode.kind === 'help') body = <Help bindings={bindings} width={L.cols} height={L.bodyHeight} scroll={ui.mode.scroll} info={help} />;
  else if (ui.mode.kind === 'output') body = <OutputView output={ui.mode.output} width={L.cols} height={L.bodyHeight} />;
  else if (ui.mode.kind === 'form') body = <Form form={ui.mode.form} width={L.cols} height={L.bodyHeight} />;
  else if (ui.mode.kind === 'dialog') body = <Dialog dialog={ui.mode.dialog} width={L.cols} height={L.bodyHeight} />;
  else if (L.wide)
    body = (
      <Box flexDirection="row" height={L.bodyHeight}>
        {table}
        <Box flexDirection="column" width={1}>
          {Array.from({ length: L.bodyHeight }, (_, i) => <Text key={i} dimColor>{border().v}</Text>)}
        </Box>
        {pane}
      </Box>
    );
  else
    body = (
      <Box flexDirection="column" height={L.bodyHeight}>
        {table}
        {pane}
      </Box>
    );
  const marks = list.marks.size ? `  ${list.marks.size} marked` : '';
  const labels = paneLabels(counts, ui.runningOnly ? running : undefined);
  const shown = filter ? `  /${filter}: ${rows.length} of ${hiding ? running : counts[ui.pane]}` : '';
  const order = sortNote(ui.pane, ui.sorts[ui.pane]);
  return (
    <Box flexDirection="column" width={L.cols} height={L.rows}>
      <Text wrap="truncate">
        {PANES.map((p, i) => (
          <Text key={p}>
            <Text inverse={p === ui.pane} bold={p === ui.pane} color={p === ui.pane ? accent() : undefined}>{labels[i]}</Text>
            <Text> </Text>
          </Text>
        ))}
        <Text dimColor>{fit(shown + marks + order, Math.max(0, L.cols - labels.reduce((n, l) => n + l.length + 1, 0)))}</Text>
      </Text>
      {body}
      <StatusLine ui={error && !ui.status.text ? { ...ui, status: { text: `error: ${error}`, tone: 'error' } } : ui} width={L.cols} bindings={bindings} sessionKeys={session && ui.focus === 'detail' ? session.keys : undefined} />
    </Box>
  );
}

/**
 * " 2 Containers (5) " per pane; with stopped containers hidden " 2 Containers (3 of 10, running only) ".
 * The mouse's hit test takes the same titles (mouse.ts paneTitle), so a click lands where they are drawn.
 */
export function paneLabels(counts: Readonly<Record<PaneKind, number>>, running: number | undefined): string[] {
  return PANES.map((p, i) => paneTitle(p, i, p === 'containers' && running !== undefined ? `${running} of ${counts[p]}, running only` : counts[p]));
}

/** The order when it is not the engine's: "  by NAMES ▲" (the header shows the arrow too, when the column fits). */
function sortNote(pane: PaneKind, sort: SortState): string {
  if (sort.column === undefined) return sort.desc ? '  order reversed' : '';
  return `  by ${COLUMNS[pane][sort.column]!.title} ${sortArrow(sort)}`;
}

/** Below the smallest size the frame is this, centred, until the terminal grows again (ink redraws on resize). */
function TooSmall({ cols, lines }: { cols: number; lines: number }) {
  const w = Math.max(1, cols);
  const words = ['terminal too small', `(need at least ${MIN_COLS}x${MIN_ROWS})`, 'q quits'];
  // Each phrase on its own line when it fits, else cut at spaces into lines of the width.
  const out = words.flatMap((p) => wrapWords(p, w));
  const top = Math.max(0, Math.floor((lines - out.length) / 2));
  const shown = out.slice(0, Math.max(1, lines));
  return (
    <Box flexDirection="column" width={w} height={Math.max(1, lines)}>
      {Array.from({ length: Math.min(top, Math.max(0, lines - shown.length)) }, (_, i) => <Text key={`t${i}`}> </Text>)}
      {shown.map((l, i) => (
        <Text key={i} bold={i === 0} wrap="truncate">{' '.repeat(Math.max(0, Math.floor((w - l.length) / 2))) + l}</Text>
      ))}
    </Box>
  );
}

function wrapWords(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.map((l) => fit(l, width).trimEnd());
}
