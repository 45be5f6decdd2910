import { Box, Text } from 'ink';
import { TabBar } from '../components/TabBar.js';
import type { UiState } from '../state/ui.js';
import { LogsTab } from './LogsTab.js';
import { Lines, StatsTab, historyLines, mountLines, topLines } from './Tabs.js';
import type { DetailData } from './types.js';

/** The tab bar and the current tab of the selection's details. */
export function DetailPane({ ui, detail, width, height }: { ui: UiState; detail: DetailData | undefined; width: number; height: number }) {
  const tab = ui.tabs[ui.pane];
  const focused = ui.focus === 'detail';
  const h = Math.max(1, height - 1);
  let body;
  if (!detail) body = <Lines lines={['(nothing selected)']} width={width} height={h} scroll={0} />;
  else if (detail.error) body = <Lines lines={[`error: ${detail.error}`]} width={width} height={h} scroll={0} />;
  else if (tab === 'logs' && detail.logs) body = <LogsTab ring={detail.logs.ring} version={detail.logs.version} view={ui.log} width={width} height={h} following={detail.logs.following} error={detail.logs.error} names={detail.logs.names} />;
  else if (tab === 'stats' && detail.stats) body = <StatsTab stats={detail.stats} width={width} height={h} />;
  else body = <Lines lines={detailLines(ui, detail, width)} width={width} height={h} scroll={ui.detailScroll} />;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <TabBar pane={ui.pane} tab={tab} title={detail?.title ?? ''} width={width} focused={focused} />
      {body}
    </Box>
  );
}

/** The lines of a scrollable tab (also used to bound its scrolling). */
export function detailLines(ui: UiState, detail: DetailData, width: number): string[] {
  switch (ui.tabs[ui.pane]) {
    case 'inspect':
      return detail.inspect ? [...detail.inspect] : ['(loading)'];
    case 'history':
      return detail.history ? historyLines(detail.history, width) : ['(loading)'];
    case 'top':
      return detail.top ? topLines(detail.top) : ['(loading)'];
    case 'mounts':
      return detail.mounts ? mountLines(detail.mounts) : ['(loading)'];
    default:
      return [];
  }
}

export function Blank({ width, height }: { width: number; height: number }) {
  return <Box width={width} height={height}><Text> </Text></Box>;
}
