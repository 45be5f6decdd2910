import { Box, Text } from 'ink';
import type { Output } from '../state/ui.js';
import { fit } from '../state/rows.js';
import { accent } from './theme.js';

/** The lines of an output overlay shown at a height: the end while following, else from `top`. */
export function outputWindow(o: Output, height: number): { top: number; lines: readonly string[] } {
  const all = o.done && o.lines[o.lines.length - 1] === '' ? o.lines.slice(0, -1) : o.lines;
  const max = Math.max(0, all.length - height);
  const top = Math.min(o.top ?? max, max);
  return { top, lines: all.slice(top, top + height) };
}

/** A custom command's output (output: "pane"), live while it runs; scrolls like the help. */
export function OutputView({ output, width, height }: { output: Output; width: number; height: number }) {
  const body = Math.max(1, height - 1);
  const w = outputWindow(output, body);
  const where = output.top === undefined ? (output.done ? 'end' : 'following') : `line ${w.top + 1}`;
  const head = `${output.title}  (${output.done ? 'done' : 'running'} · ${where}; j/k scroll, esc closes)`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={accent()} wrap="truncate">{fit(head, width)}</Text>
      {w.lines.map((l, i) => (
        <Text key={w.top + i} wrap="truncate">{l || ' '}</Text>
      ))}
      {Array.from({ length: Math.max(0, body - w.lines.length) }, (_, i) => <Text key={`f${i}`}> </Text>)}
    </Box>
  );
}
