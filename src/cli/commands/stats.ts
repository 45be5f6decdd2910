import type { StatsSample } from '../../core/engine.js';
import { CtuiError } from '../../core/errors.js';
import { cpuPercent } from '../../core/containers/stats.js';
import type { CommandDef } from '../command.js';
import { stringList } from '../flags.js';
import { formatTable, printFormatted, write } from '../output.js';
import { STATS_ROW } from '../../present/template/types.js';

/** Binary units for memory (docker: "4.1MiB / 23.4GiB"), decimal for I/O ("1.2kB / 0B"). */
function binary(n: number): string {
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) {
    n /= 1024;
    i++;
  }
  return `${Number(n.toFixed(i === 0 ? 0 : 2))}${u[i]}`;
}
function decimal(n: number): string {
  const u = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < u.length - 1) {
    n /= 1000;
    i++;
  }
  return `${Number(n.toPrecision(3))}${u[i]}`;
}

interface Row {
  ID: string;
  Container: string;
  Name: string;
  CPUPerc: string;
  MemUsage: string;
  MemPerc: string;
  NetIO: string;
  BlockIO: string;
  PIDs: string;
}

function row(id: string, name: string, prev: StatsSample, cur: StatsSample): Row {
  return {
    ID: id.slice(0, 12),
    Container: id.slice(0, 12),
    Name: name,
    CPUPerc: `${cpuPercent(prev, cur).toFixed(2)}%`,
    MemUsage: `${binary(cur.memUsage)} / ${binary(cur.memLimit)}`,
    MemPerc: `${cur.memLimit > 0 ? ((cur.memUsage / cur.memLimit) * 100).toFixed(2) : '0.00'}%`,
    NetIO: `${decimal(cur.netRx)} / ${decimal(cur.netTx)}`,
    BlockIO: `${decimal(cur.blkRead)} / ${decimal(cur.blkWrite)}`,
    PIDs: String(cur.pids),
  };
}

const HEADERS = ['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS'];

export const statsCommand: CommandDef = {
  command: 'stats [containers..]',
  describe: 'Display a live stream of container(s) resource usage statistics',
  flags: {
    all: { alias: 'a', type: 'boolean', describe: 'Show all containers (default shows just running)' },
    'no-stream': { type: 'boolean', describe: 'Disable streaming stats and only pull the first result' },
    'no-trunc': { type: 'boolean', describe: "Don't truncate output" },
    format: { type: 'string', describe: 'Pretty-print images using a Go template' },
  },
  async run(ctx, a) {
    const engine = await ctx.engine();
    const named = stringList(a.containers);
    const targets = () => {
      if (named.length > 0) return named.map((n) => engine.containers.inspect(n)).map((d) => ({ id: d.Record.Id, name: d.Record.Name }));
      return engine.containers.list({ all: false }).filter((c) => c.State.Status === 'running' || c.State.Status === 'paused').map((c) => ({ id: c.Id, name: c.Name }));
    };
    const render = async (rows: Row[]) => {
      if (typeof a.format === 'string' && a.format) await printFormatted(a.format, rows, { type: STATS_ROW, headers: { CPUPerc: 'CPU %', MemUsage: 'MEM USAGE / LIMIT', MemPerc: 'MEM %', NetIO: 'NET I/O', BlockIO: 'BLOCK I/O', PIDs: 'PIDS', Container: 'CONTAINER', ID: 'CONTAINER ID' }, defaultTable: '{{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}' });
      else write(formatTable(HEADERS, rows.map((r) => [r.ID, r.Name, r.CPUPerc, r.MemUsage, r.MemPerc, r.NetIO, r.BlockIO, r.PIDs])));
    };
    let prev = new Map<string, StatsSample>();
    const sample = () => {
      const cur = new Map<string, StatsSample>();
      for (const t of targets()) {
        try {
          cur.set(t.id, engine.containers.stats(t.id));
        } catch (err) {
          if (named.length > 0) throw err;
        }
      }
      return cur;
    };
    // CPU % needs two readings: like docker, the first frame compares against one taken a moment earlier.
    prev = sample();
    if (named.length > 0 && prev.size === 0) throw new CtuiError('no running container to show', 1);
    await new Promise((r) => setTimeout(r, a['no-stream'] ? 250 : 1000));
    const names = new Map(targets().map((t) => [t.id, t.name]));
    for (;;) {
      const cur = sample();
      const rows = [...cur].flatMap(([id, s]) => (prev.has(id) ? [row(id, names.get(id) ?? id.slice(0, 12), prev.get(id)!, s)] : []));
      if (!a['no-stream'] && process.stdout.isTTY) write('\x1b[2J\x1b[H');
      await render(rows);
      if (a['no-stream']) return;
      prev = cur;
      await new Promise((r) => setTimeout(r, 1000));
    }
  },
};
