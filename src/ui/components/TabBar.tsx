import { Text } from 'ink';
import { fit } from '../state/rows.js';
import { TAB_TITLES, TABS, type PaneKind, type TabId } from '../state/ui.js';
import { accent, lines } from './theme.js';

/** "─ Logs │ Inspect │ Stats ─ name": the detail pane's title line; the current tab inverse. */
export function TabBar({ pane, tab, title, width, focused }: { pane: PaneKind; tab: TabId; title: string; width: number; focused: boolean }) {
  const tabs = TABS[pane];
  const used = 2 + tabs.reduce((n, t) => n + TAB_TITLES[t].length + 3, 0);
  const rest = Math.max(0, width - used);
  const name = title ? fit(` ${title} `, Math.min(rest, title.length + 2)) : '';
  const b = lines();
  return (
    <Text wrap="truncate">
      <Text color={focused ? accent() : undefined} dimColor={!focused}>{b.corner + ' '}</Text>
      {tabs.map((t) => (
        <Text key={t}>
          <Text inverse={t === tab} bold={t === tab && focused}>{` ${TAB_TITLES[t]} `}</Text>
          <Text dimColor>{b.v}</Text>
        </Text>
      ))}
      <Text color={focused ? accent() : undefined} dimColor={!focused}>{b.h.repeat(Math.max(0, rest - name.length))}</Text>
      <Text bold>{name}</Text>
    </Text>
  );
}
