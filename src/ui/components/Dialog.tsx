import { Box, Text } from 'ink';
import { humanSize } from '../../core/util/humanize.js';
import { dialogTotal } from '../state/dialog.js';
import { fit } from '../state/rows.js';
import { ticked, type Dialog as DialogState } from '../state/ui.js';
import { accent } from './theme.js';

/**
 * The confirmation for what destroys: every item named with its size, each can be unticked (space);
 * enter does it to the ticked ones, esc does nothing. The summary says what the ticked set frees (for
 * images: layers no image that stays has, each once). A menu (kind 'menu') is the same frame with one
 * entry per line and no ticks. Only the visible part of a long list renders.
 */
export function Dialog({ dialog, width, height }: { dialog: DialogState; width: number; height: number }) {
  const menu = dialog.kind === 'menu';
  const chosen = ticked(dialog);
  const room = Math.max(1, height - 4);
  const top = Math.max(0, Math.min(dialog.cursor - Math.floor(room / 2), dialog.items.length - room));
  const shown = dialog.items.slice(top, top + room);
  const verb = dialog.kind === 'prune' ? 'prune' : 'remove';
  const summary = menu
    ? 'enter runs the entry; the ones marked … ask first'
    : `${chosen.length} of ${dialog.items.length} ticked, ${humanSize(dialogTotal(dialog))} to reclaim${dialog.measuring ? ' (measuring…)' : ''}`;
  const footer = menu
    ? 'enter: choose   j/k: move   esc: cancel'
    : chosen.length ? `enter: ${verb} the ${chosen.length} ticked   space: untick/tick   esc: cancel` : 'esc: cancel (nothing ticked)';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={accent()} wrap="truncate">{fit(dialog.title, width)}</Text>
      <Text dimColor wrap="truncate">{fit(summary, width)}</Text>
      {dialog.items.length === 0 ? <Text wrap="truncate">{fit('  nothing to ' + verb, width)}</Text> : null}
      {shown.map((it, i) => {
        const at = top + i === dialog.cursor;
        const size = it.size === undefined ? '' : humanSize(it.size);
        const line = menu ? `${at ? '>' : ' '} ${it.label}` : `${it.ticked ? '[x]' : '[ ]'} ${fit(it.label, Math.max(10, width - 16))} ${size.padStart(10)}`;
        return (
          <Text key={it.id} inverse={at} wrap="truncate">
            {fit(line, width)}
          </Text>
        );
      })}
      {Array.from({ length: Math.max(0, height - 3 - shown.length - (dialog.items.length === 0 ? 1 : 0)) }, (_, i) => <Text key={`f${i}`}> </Text>)}
      <Text bold wrap="truncate">{fit(footer, width)}</Text>
    </Box>
  );
}
