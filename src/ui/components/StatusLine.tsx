import { Box, Text } from 'ink';
import { keyHint, type Bindings } from '../keymap.js';
import type { UiState } from '../state/ui.js';
import { dialogHint } from '../state/dialog.js';
import { fit } from '../state/rows.js';
import { accent, statusColor } from './theme.js';

/**
 * The two bottom lines: the input (filter or command) or the last result/error/progress, and the key
 * hints for where the focus is. Hints come from the keymap, so a remapped key shows its new key.
 */
export function StatusLine({ ui, width, bindings, sessionKeys }: { ui: UiState; width: number; bindings: Bindings; sessionKeys?: string | undefined }) {
  const m = ui.mode;
  let first;
  if (m.kind === 'filter') first = <Text wrap="truncate" color={accent()}>{fit(m.target === 'search' ? `search: ${m.text}█  (enter finds it up from the end, then n/N; esc clears)` : `/${m.text}█  (enter keeps it, esc clears)`, width)}</Text>;
  else if (m.kind === 'prompt') first = <Text wrap="truncate" color={accent()}>{fit(`${m.prompt.label}: ${m.prompt.text}█`, width)}</Text>;
  else if (m.kind === 'command' && m.error) {
    // The error where it was typed: the line stays open to be corrected.
    first = (
      <Text wrap="truncate">
        <Text color={accent()}>{`:${m.text}█  `}</Text>
        <Text color={statusColor('error')} bold>{fit(m.error, Math.max(1, width - m.text.length - 4))}</Text>
      </Text>
    );
  } else if (m.kind === 'command') first = <Text wrap="truncate" color={accent()}>{fit(`:${m.text}█`, width)}</Text>;
  else first = <Text wrap="truncate" color={statusColor(ui.status.tone)}>{fit(ui.status.text || ' ', width)}</Text>;
  return (
    <Box flexDirection="column" width={width} height={2}>
      {first}
      <Text wrap="truncate" dimColor>{fit(sessionKeys ? `keys go to the container  ${sessionKeys}` : hints(ui, bindings), width)}</Text>
    </Box>
  );
}

function hints(ui: UiState, b: Bindings): string {
  const k = (id: string, what: string) => `${keyHint(b, id)} ${what}`;
  const m = ui.mode;
  if (m.kind === 'help') return 'j/k scroll  esc or ? close';
  if (m.kind === 'dialog') return dialogHint(m.dialog);
  if (m.kind === 'prompt') return 'enter run  esc cancel  backspace erase';
  if (m.kind === 'form') return 'tab/shift-tab field  space/left/right choice  enter ' + (m.form.id === 'run' ? 'run' : 'commit') + '  esc cancel';
  if (m.kind === 'command' && m.choices?.length) return m.choices.join('  ');
  if (m.kind === 'command') return 'enter run  tab complete  up/down history  esc cancel';
  if (m.kind === 'filter') return 'enter confirm  esc cancel  backspace erase';
  if (ui.focus === 'detail') {
    const base = [k('back', 'back'), `${keyHint(b, 'prevTab')}/${keyHint(b, 'nextTab')} tabs`];
    if (ui.tabs[ui.pane] === 'logs') base.push(k('bottom', 'end'), k('filter', 'filter'), k('wrap', 'wrap'), k('timestamps', 'time'), k('context', 'context'), k('saveLogs', 'save'));
    return [...base, k('help', 'help'), k('quit', 'quit')].join('  ');
  }
  const list = [k('details', 'details'), k('filter', 'filter'), k('command', 'cmd')];
  if (ui.pane === 'containers') list.push(k('stop', 'start/stop'), k('restart', 'restart'), k('pause', 'pause'), k('logs', 'logs'));
  list.push(k('remove', 'rm'), k('prune', 'prune'), k('mark', 'mark'), k('copyId', 'copy id'), k('help', 'help'), k('quit', 'quit'));
  return list.join('  ');
}
