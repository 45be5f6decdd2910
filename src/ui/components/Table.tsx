import { Box, Text } from 'ink';
import { COLUMNS, contentWidths, fit, fitColumns, type Row } from '../state/rows.js';
import type { ListState } from '../state/list.js';
import { defaultSort, sortArrow, type SortState } from '../state/sort.js';
import type { PaneKind } from '../state/ui.js';
import { cellColor, markColor, theme } from './theme.js';

interface Props {
  readonly pane: PaneKind;
  readonly rows: readonly Row[];
  readonly list: ListState;
  readonly width: number;
  /** Rows of data (the header is one more line). */
  readonly height: number;
  readonly focused: boolean;
  readonly emptyText: string;
  readonly sort?: SortState | undefined;
}

/** The header's titles, the sorted one with its arrow ("NAMES ▲"). */
export function headerCell(title: string, index: number, sort: SortState): string {
  return sort.column === index ? `${title} ${sortArrow(sort)}` : title;
}

/**
 * A list as a table that renders only its visible window (offset..offset+height): a thousand rows cost
 * what twenty do. Column widths follow the content of every row (not only the visible ones, so they
 * do not jump while scrolling). Two columns of gutter show the marks (and the selection, with the
 * theme's marker style).
 */
export function Table({ pane, rows, list, width, height, focused, emptyText, sort = defaultSort }: Props) {
  const cols = COLUMNS[pane];
  const content = contentWidths(rows, cols.length);
  const layout = fitColumns(cols, width - 2, content, 2, sort.column === undefined ? undefined : { index: sort.column, width: 2 });
  const header = '  ' + layout.map((l) => fit(headerCell(cols[l.index]!.title, l.index, sort), l.width, cols[l.index]!.align)).join('  ');
  const style = theme().selection;
  const visible = rows.slice(list.offset, list.offset + height);
  const lines = visible.map((r, i) => {
    const index = list.offset + i;
    const selected = index === list.cursor;
    const marked = list.marks.has(r.key);
    const on = selected && focused;
    // Unfocused, the selection stays findable (bold, underlined); focused, it takes the theme's style.
    const attrs = on
      ? { inverse: style === 'reverse', underline: style === 'underline', bold: style === 'bold' || style === 'marker' }
      : { inverse: false, underline: selected, bold: selected };
    return (
      <Text key={r.key} wrap="truncate" {...attrs}>
        <Text color={marked ? markColor() : undefined}>{(marked ? '●' : ' ') + (on && style === 'marker' ? '>' : ' ')}</Text>
        {layout.map((l, k) => (
          <Text key={l.index} color={on && style === 'reverse' ? undefined : cellColor(r.tones[l.index])}>
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
