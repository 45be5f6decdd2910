import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { accent } from '../components/theme.js';
import { fit } from '../state/rows.js';
import type { Form as FormState } from './state.js';

/**
 * A form in the body of the screen: its title, what it is about (info lines), then one line per
 * field with the cursor on the focused one. Choices show all options with the chosen one marked.
 */
export function Form({ form, width, height }: { form: FormState; width: number; height: number }) {
  const labelW = Math.max(...form.fields.map((f) => f.label.length)) + 2;
  const lines: Array<{ key: string; node: ReactNode }> = [];
  form.info.forEach((l, i) => lines.push({ key: `i${i}`, node: <Text wrap="truncate">{fit(l, width)}</Text> }));
  if (form.info.length) lines.push({ key: 'sep', node: <Text> </Text> });
  form.fields.forEach((f, i) => {
    const at = i === form.focus;
    const value = f.choices ? f.choices.map((c) => (c === f.value ? `(•) ${c}` : `( ) ${c}`)).join('  ') : f.value + (at ? '█' : '');
    lines.push({
      key: f.key,
      node: (
        <Text wrap="truncate">
          <Text inverse={at} bold={at}>{(f.label + ':').padEnd(labelW)}</Text>
          <Text color={at ? accent() : undefined}>{fit(value, Math.max(1, width - labelW))}</Text>
        </Text>
      ),
    });
    if (at && f.hint) lines.push({ key: `${f.key}-hint`, node: <Text dimColor wrap="truncate">{fit(' '.repeat(labelW) + f.hint, width)}</Text> });
  });
  const room = Math.max(0, height - 2);
  const shown = lines.slice(0, room);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={accent()} wrap="truncate">{fit(form.title + (form.busy ? '  (working...)' : ''), width)}</Text>
      {shown.map((l) => <Box key={l.key}>{l.node}</Box>)}
      {Array.from({ length: Math.max(0, height - 1 - shown.length) }, (_, i) => <Text key={`f${i}`}> </Text>)}
    </Box>
  );
}
