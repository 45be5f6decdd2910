import { Box, Text } from 'ink';
import type { Bindings } from './keymap.js';
import { layoutFor } from './layout.js';
import { Dialog } from './components/Dialog.js';
import { Form } from './forms/Form.js';
import { OutputView } from './components/OutputView.js';
import { Help, type HelpInfo } from './components/Help.js';
import { StatusLine } from './components/StatusLine.js';
import { Table } from './components/Table.js';
import { accent } from './components/theme.js';
import { DetailPane } from './panes/DetailPane.js';
import { SessionPane } from './panes/SessionPane.js';
import type { Span } from './session/screen.js';
import type { DetailData } from './panes/types.js';
import { fit, type Row } from './state/rows.js';
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
}

const TITLES: Record<PaneKind, string> = { images: 'Images', containers: 'Containers', volumes: 'Volumes' };

/**
 * The whole frame as a function of state: no hooks, no engine, so the snapshot test renders exactly
 * what the live app renders.
 */
export function View({ ui, rows, counts, detail, bindings, cols, lines, error, session, help }: ViewProps) {
  const L = layoutFor(cols, lines, ui.focus);
  const list = ui.lists[ui.pane];
  const filter = ui.filters[ui.pane];
  const empty = filter ? `no ${ui.pane} match "${filter}" (esc clears)` : ui.pane === 'containers' ? 'no containers (:run IMAGE to start one)' : `no ${ui.pane}`;
  const table = <Table pane={ui.pane} rows={rows} list={list} width={L.listWidth} height={L.listRows} focused={ui.focus === 'list'} emptyText={empty} />;
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
          {Array.from({ length: L.bodyHeight }, (_, i) => <Text key={i} dimColor>│</Text>)}
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
  const shown = filter ? `  /${filter}: ${rows.length} of ${counts[ui.pane]}` : '';
  return (
    <Box flexDirection="column" width={L.cols} height={L.rows}>
      <Text wrap="truncate">
        {PANES.map((p, i) => (
          <Text key={p}>
            <Text inverse={p === ui.pane} bold={p === ui.pane} color={p === ui.pane ? accent() : undefined}>{` ${i + 1} ${TITLES[p]} (${counts[p]}) `}</Text>
            <Text> </Text>
          </Text>
        ))}
        <Text dimColor>{fit(shown + marks, Math.max(0, L.cols - headerWidth(counts)))}</Text>
      </Text>
      {body}
      <StatusLine ui={error && !ui.status.text ? { ...ui, status: { text: `error: ${error}`, tone: 'error' } } : ui} width={L.cols} bindings={bindings} sessionKeys={session && ui.focus === 'detail' ? session.keys : undefined} />
    </Box>
  );
}

function headerWidth(counts: Readonly<Record<PaneKind, number>>): number {
  return PANES.reduce((n, p, i) => n + ` ${i + 1} ${TITLES[p]} (${counts[p]}) `.length + 1, 0);
}
