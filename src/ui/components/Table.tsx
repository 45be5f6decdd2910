import { Box, Text } from 'ink';
import { COLUMNS, fit, fitColumns, type Row } from '../state/rows.js';
import type { ListState } from '../state/list.js';
import type { PaneKind } from '../state/ui.js';
import { cellColor } from './theme.js';

interface Props {
  readonly pane: PaneKind;
  readonly rows: readonly Row[];
  readonly list: ListState;
  readonly width: number;
  /** Rows of data (the header is one more line). */
  readonly height: number;
  readonly focused: boolean;
  readonly emptyText: string;
}

/**
 * A list as a table that renders only its visible window (offset..offset+height): a thousand rows cost
 * what twenty do. Two columns of gutter show the marks.
 */
export function Table({ pane, rows, list, width, height, focused, emptyText }: Props) {
  const cols = COLUMNS[pane];
  const layout = fitColumns(cols, width - 2);
  const header = '  ' + layout.map((l) => fit(cols[l.index]!.title, l.width, cols[l.index]!.align)).join('  ');
  const visible = rows.slice(list.offset, list.offset + height);
  const lines = visible.map((r, i) => {
    const index = list.offset + i;
    const selected = index === list.cursor;
    const marked = list.marks.has(r.key);
    return (
      <Text key={r.key} wrap="truncate" inverse={selected && focused} bold={selected && !focused} underline={selected && !focused}>
        <Text color={marked ? 'yellow' : undefined}>{marked ? '● ' : '  '}</Text>
        {layout.map((l, k) => (
          <Text key={l.index} color={selected && focused ? undefined : cellColor(r.tones[l.index])}>
            {(k ? '  ' : '') + fit(r.cells[l.index] ?? '', l.width, cols[l.index]!.align)}
          </Text>
        ))}
      </Text>
    );
  });
  const fill = Math.max(0, height - lines.length);
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <Text bold wrap="truncate">{fit(header, width)}</Text>
      {lines}
      {rows.length === 0 ? <Text dimColor wrap="truncate">{'  ' + emptyText}</Text> : null}
      {Array.from({ length: Math.max(0, fill - (rows.length === 0 ? 1 : 0)) }, (_, i) => <Text key={`f${i}`}> </Text>)}
    </Box>
  );
}
