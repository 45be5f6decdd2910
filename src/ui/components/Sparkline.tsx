import { Text } from 'ink';

const BARS = '▁▂▃▄▅▆▇█';

/** The last width values as bars scaled to max (or to the largest value shown). */
export function sparkline(values: readonly number[], width: number, max?: number): string {
  const shown = values.slice(-width);
  const top = max ?? Math.max(1e-9, ...shown);
  return shown.map((v) => BARS[Math.max(0, Math.min(BARS.length - 1, Math.round((v / top) * (BARS.length - 1))))]).join('').padStart(width);
}

export function Sparkline({ values, width, max, color }: { values: readonly number[]; width: number; max?: number; color?: string | undefined }) {
  return <Text color={color}>{sparkline(values, width, max)}</Text>;
}
