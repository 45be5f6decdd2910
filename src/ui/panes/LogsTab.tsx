import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { LOG_AMOUNTS, logMatcher, shownLines, type LogEntry, type Ring } from '../state/logs.js';
import { logWindow, type LogRow } from '../state/logwindow.js';
import type { LogView } from '../state/ui.js';
import { fit } from '../state/rows.js';
import { noColor } from '../components/theme.js';

interface Props {
  readonly ring: Ring<LogEntry>;
  readonly version: number;
  readonly view: LogView;
  readonly width: number;
  readonly height: number;
  readonly following: boolean;
  readonly error?: string | undefined;
  /** A merged log: the containers' names (the name column). */
  readonly names?: readonly string[] | undefined;
}

/** docker compose's order of colours for its name column. */
const SOURCE_COLOURS = ['cyan', 'yellow', 'green', 'magenta', 'blue', 'red', 'cyanBright', 'yellowBright', 'greenBright', 'magentaBright', 'blueBright', 'redBright'];

/** One row: the name column coloured per container, search matches inverse, the rest plain. */
function Row({ row }: { row: LogRow }) {
  const colour = row.err && !noColor() ? 'red' : undefined;
  const parts: Array<{ text: string; hit?: boolean; name?: boolean }> = [];
  const chars = [...(row.text || ' ')];
  let at = 0;
  if (row.nameWidth) {
    parts.push({ text: chars.slice(0, row.nameWidth).join(''), name: true });
    at = row.nameWidth;
  }
  for (const [a, b] of row.hits) {
    if (a > at) parts.push({ text: chars.slice(at, a).join('') });
    parts.push({ text: chars.slice(Math.max(a, at), b).join(''), hit: true });
    at = Math.max(at, b);
  }
  if (at < chars.length) parts.push({ text: chars.slice(at).join('') });
  const nameColour = row.source !== undefined && !noColor() ? SOURCE_COLOURS[row.source % SOURCE_COLOURS.length] : undefined;
  return (
    <Text wrap="truncate" bold={row.match} dimColor={row.dim} color={colour}>
      {parts.map((p, i) => (p.name ? <Text key={i} color={nameColour}>{p.text}</Text> : p.hit ? <Text key={i} inverse>{p.text}</Text> : p.text))}
    </Text>
  );
}

/**
 * The log's last screenful, or the screenful from the line the view was scrolled back to (it stays
 * there while new lines arrive: the info line counts them). Built from state/logwindow.ts, so the cost
 * is the pane's height whatever the length of the log. Filter matches are bold, context lines plain,
 * left-out stretches marked with "--" (as grep -C does), search matches inverse.
 */
export function LogsTab({ ring, version, view, width, height, following, error, names }: Props) {
  // eslint-disable-next-line react-hooks/exhaustive-deps -- version stands for the ring's content
  const shown = useMemo(() => shownLines(ring, view.filter, view.context), [ring, version, view.filter, view.context]);
  const bad = logMatcher(view.filter)?.error;
  const bodyHeight = Math.max(1, height - 1);
  const { rows } = logWindow(ring, shown, view, { width, height: bodyHeight, names });
  const fresh = view.pausedAt === undefined ? 0 : Math.max(0, ring.total - view.pausedAt);
  const where = view.top !== undefined ? `paused · ${fresh} new line${fresh === 1 ? '' : 's'} (G: follow)` : following ? 'following' : 'end';
  const info = [
    `${shown.length}${view.filter ? ` of ${ring.length}` : ''} lines`,
    ring.dropped ? `(older ${ring.dropped} dropped)` : '',
    where,
    names ? `${names.length} containers (esc: one)` : '',
    LOG_AMOUNTS[view.amount]?.label ?? '',
    view.filter ? `filter ${view.filter}${view.context ? ` ±${view.context}` : ''}` : '',
    view.search ? `search ${view.search}` : '',
    view.wrap ? 'wrap' : '',
    view.timestamps ? 'time' : '',
    bad ?? error ?? '',
  ].filter(Boolean).join(' · ');
  return (
    <Box flexDirection="column" width={width} height={height}>
      {rows.length === 0 ? <Text dimColor>{view.filter ? '(no line matches)' : '(no output yet)'}</Text> : null}
      {/* Following, the last line sits at the bottom; scrolled back, the first line at the top. */}
      {view.top !== undefined ? rows.map((l) => <Row key={l.key} row={l} />) : null}
      {Array.from({ length: Math.max(0, bodyHeight - rows.length - (rows.length === 0 ? 1 : 0)) }, (_, i) => <Text key={`f${i}`}> </Text>)}
      {view.top === undefined ? rows.map((l) => <Row key={l.key} row={l} />) : null}
      <Text dimColor wrap="truncate">{fit(info, width)}</Text>
    </Box>
  );
}
