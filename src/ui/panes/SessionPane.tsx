import { Box, Text } from 'ink';
import { accent, foreign, lines as border } from '../components/theme.js';
import type { Span } from '../session/screen.js';
import { fit } from '../state/rows.js';

/** The in-pane session: a title line with the way out, then the container's screen with its colours. */
export function SessionPane({ title, keys, lines, width, height, focused }: { title: string; keys: string; lines: readonly Span[][]; width: number; height: number; focused: boolean }) {
  const b = border();
  const head = `${b.corner} ${title} ${b.h} ${focused ? `${keys}` : 'enter: focus the session'} `;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate" bold={focused} color={focused ? accent() : undefined}>{fit(head + b.h.repeat(Math.max(0, width - head.length)), width)}</Text>
      {Array.from({ length: Math.max(0, height - 1) }, (_, y) => (
        <Text key={y} wrap="truncate">
          {(lines[y] ?? [{ text: ' ' }]).map((s, i) => (
            <Text key={i} color={foreign(s.fg)} backgroundColor={foreign(s.bg)} bold={s.bold} dimColor={s.dim} underline={s.underline} inverse={s.inverse}>{s.text}</Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
