import { Box, Text } from 'ink';
import type { CustomCommand } from '../custom.js';
import { helpSections, type Bindings } from '../keymap.js';
import { fit } from '../state/rows.js';
import { accent } from './theme.js';

/** The `?` overlay, generated from the keymap (so it shows remapped keys); scrolls when it does not fit. */
export function helpLines(bindings: Bindings, width: number, detachKeys?: string, custom: readonly CustomCommand[] = []): Array<{ text: string; title: boolean }> {
  const out: Array<{ text: string; title: boolean }> = [];
  for (const s of helpSections(bindings, detachKeys)) {
    out.push({ text: s.title, title: true });
    for (const [keys, what] of s.rows) out.push({ text: `  ${fit(keys, 14)} ${what}`, title: false });
  }
  if (custom.length) {
    out.push({ text: 'Your commands (customCommands in keys.json)', title: true });
    for (const c of custom) {
      const where = c.context === 'global' ? 'everywhere' : `on ${c.context}`;
      out.push({ text: `  ${fit(c.key, 14)} ${c.description ?? c.name} (${where}, ${c.output}): ${c.command}`, title: false });
    }
  }
  // Two columns when the terminal is wide enough for them.
  if (width >= 150) {
    const half = Math.ceil(out.length / 2);
    const colW = Math.floor(width / 2) - 1;
    return out.slice(0, half).map((l, i) => ({ text: fit(l.text, colW) + '  ' + (out[half + i]?.text ?? ''), title: l.title }));
  }
  return out;
}

/** What the help names besides the keys: the keys file in use and the detach keys. */
export interface HelpInfo {
  readonly keysFile: string;
  readonly detachKeys?: string | undefined;
  readonly custom?: readonly CustomCommand[] | undefined;
}

export function Help({ bindings, width, height, scroll, info }: { bindings: Bindings; width: number; height: number; scroll: number; info?: HelpInfo | undefined }) {
  const lines = helpLines(bindings, width, info?.detachKeys, info?.custom);
  const top = Math.max(0, Math.min(scroll, lines.length - (height - 1)));
  const shown = lines.slice(top, top + height - 1);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={accent()} wrap="truncate">{fit(`Keys (${top + 1}-${top + shown.length} of ${lines.length}; j/k scroll, esc closes; remap in ${info?.keysFile ?? 'keys.json'})`, width)}</Text>
      {shown.map((l, i) => (
        <Text key={i} bold={l.title} wrap="truncate">{fit(l.text, width)}</Text>
      ))}
      {Array.from({ length: Math.max(0, height - 1 - shown.length) }, (_, i) => <Text key={`f${i}`}> </Text>)}
    </Box>
  );
}
