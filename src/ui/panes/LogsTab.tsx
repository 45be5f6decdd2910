import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { logMatcher, shownLines, wrapLine, type LogEntry, type Ring } from '../state/logs.js';
import type { LogView } from '../state/ui.js';
import { fit } from '../state/rows.js';
import { stderrColor } from '../components/theme.js';

interface Props {
  readonly ring: Ring<LogEntry>;
  readonly version: number;
  readonly view: LogView;
  readonly width: number;
  readonly height: number;
  readonly following: boolean;
  readonly error?: string | undefined;
}

/**
 * The log's last screenful (or `back` lines up from the end), built bottom-up so that the cost is the
 * height of the pane, whatever the length of the log. Filter matches are bold, context lines plain,
 * left-out stretches marked with "--" (as grep -C does).
 */
export function LogsTab({ ring, version, view, width, height, following, error }: Props) {
  // eslint-disable-next-line react-hooks/exhaustive-deps -- version stands for the ring's content
  const shown = useMemo(() => shownLines(ring, view.filter, view.context), [ring, version, view.filter, view.context]);
  const bad = logMatcher(view.filter)?.error;
  const bodyHeight = Math.max(1, height - 1);
  const out: Array<{ key: string; text: string; match: boolean; err: boolean; gap?: boolean }> = [];
  const last = shown.length - 1 - Math.min(view.back, Math.max(0, shown.length - 1));
  for (let i = last; i >= 0 && out.length < bodyHeight; i--) {
    const s = shown[i]!;
    const e = ring.at(s.index)!;
    const prefix = view.timestamps ? e.time.slice(0, 23).replace('T', ' ') + ' ' : '';
    const pieces = wrapLine(prefix + e.text, width, view.wrap);
    for (let p = pieces.length - 1; p >= 0 && out.length < bodyHeight; p--) out.unshift({ key: `${s.index}.${p}`, text: pieces[p]!, match: s.match, err: e.stream === 'stderr' });
    if (s.gap && out.length < bodyHeight) out.unshift({ key: `${s.index}.gap`, text: '--', match: false, err: false, gap: true });
  }
  const where = view.back > 0 ? `${view.back} lines up (G: end)` : following ? 'following' : 'end';
  const info = [
    `${shown.length}${view.filter ? ` of ${ring.length}` : ''} lines`,
    ring.dropped ? `(older ${ring.dropped} dropped)` : '',
    where,
    view.filter ? `filter ${view.filter}${view.context ? ` ±${view.context}` : ''}` : '',
    view.wrap ? 'wrap' : '',
    view.timestamps ? 'time' : '',
    bad ?? error ?? '',
  ].filter(Boolean).join(' · ');
  return (
    <Box flexDirection="column" width={width} height={height}>
      {out.length === 0 ? <Text dimColor>{view.filter ? '(no line matches)' : '(no output yet)'}</Text> : null}
      {Array.from({ length: Math.max(0, bodyHeight - out.length - (out.length === 0 ? 1 : 0)) }, (_, i) => <Text key={`f${i}`}> </Text>)}
      {out.map((l) => (
        <Text key={l.key} wrap="truncate" bold={l.match} dimColor={l.gap} color={l.err ? stderrColor() : undefined}>{l.text || ' '}</Text>
      ))}
      <Text dimColor wrap="truncate">{fit(info, width)}</Text>
    </Box>
  );
}
