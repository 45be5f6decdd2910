import { Box, Text } from 'ink';
import { humanSize } from '../../core/util/humanize.js';
import { Sparkline } from '../components/Sparkline.js';
import { accent } from '../components/theme.js';
import type { LayerRow } from '../detail.js';
import { fit } from '../state/rows.js';
import type { DetailData } from './types.js';

/** The detail tabs other than Logs: each renders only the lines that fit, from `scroll` on. */

interface Sized {
  readonly width: number;
  readonly height: number;
  readonly scroll: number;
}

export function Lines({ lines, width, height, scroll }: Sized & { lines: readonly string[] }) {
  const top = Math.max(0, Math.min(scroll, lines.length - height));
  const shown = lines.slice(top, top + height);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {shown.map((l, i) => (
        <Text key={top + i} wrap="truncate">{l || ' '}</Text>
      ))}
      {Array.from({ length: Math.max(0, height - shown.length) }, (_, i) => <Text key={`f${i}`}> </Text>)}
    </Box>
  );
}

export function historyLines(rows: readonly LayerRow[], width: number): string[] {
  const byW = Math.max(10, width - 14 - 9 - 26 - 6);
  const head = `${fit('CREATED', 14)}  ${fit('SIZE', 9, 'right')}  ${fit('CREATED BY', byW)}  SHARED WITH`;
  return [head, ...rows.map((r) => `${fit(r.created, 14)}  ${fit(r.size, 9, 'right')}  ${fit(r.createdBy || '-', byW)}  ${r.empty ? '' : r.sharedWith || '(only this image)'}`)];
}

export function topLines(top: NonNullable<DetailData['top']>): string[] {
  if (top.error) return [`error: ${top.error}`];
  const widths = top.titles.map((t, i) => Math.max(t.length, ...top.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(top.titles), ...top.rows.map(line)];
}

export function mountLines(mounts: NonNullable<DetailData['mounts']>): string[] {
  if (mounts.length === 0) return ['(no volumes or bind mounts)'];
  return [
    `${fit('TYPE', 6)}  ${fit('SOURCE', 30)}  ${fit('DESTINATION', 24)}  MODE`,
    ...mounts.map((m) => `${fit(m.Type, 6)}  ${fit(m.Name || m.Source, 30)}  ${fit(m.Destination, 24)}  ${m.RW ? 'rw' : 'ro'}${m.Mode ? ` (${m.Mode})` : ''}`),
  ];
}

/** CPU, memory and pids with a sparkline of the samples so far (one a second while the tab shows). */
export function StatsTab({ stats, width, height }: { stats: NonNullable<DetailData['stats']>; width: number; height: number }) {
  if (stats.error) return <Lines lines={[`error: ${stats.error}`]} width={width} height={height} scroll={0} />;
  const last = stats.points[stats.points.length - 1];
  const gw = Math.max(10, width - 34);
  const rows: Array<[string, string, number[], number | undefined]> = last
    ? [
        ['CPU', `${last.cpu.toFixed(2)}%`, stats.points.map((p) => p.cpu), undefined],
        ['MEM', `${humanSize(last.mem)}${last.memLimit ? ' / ' + humanSize(last.memLimit) : ''}`, stats.points.map((p) => p.mem), undefined],
        ['PIDS', String(last.pids), stats.points.map((p) => p.pids), undefined],
      ]
    : [];
  return (
    <Box flexDirection="column" width={width} height={height}>
      {rows.length === 0 ? <Text dimColor>(sampling...)</Text> : null}
      {rows.map(([name, value, values, max]) => (
        <Text key={name} wrap="truncate">
          <Text bold>{fit(name, 5)}</Text>
          {fit(value, 27)}
          <Sparkline values={values} width={gw} max={max} color={accent()} />
        </Text>
      ))}
      <Text dimColor wrap="truncate">{last ? `${stats.points.length} samples, one a second while this tab shows` : ''}</Text>
      {Array.from({ length: Math.max(0, height - 1 - Math.max(1, rows.length)) }, (_, i) => <Text key={`f${i}`}> </Text>)}
    </Box>
  );
}
