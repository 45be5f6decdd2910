import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { arch } from 'node:os';
import { runtimeBinary } from '../../core/helper/native.js';
import type { CommandDef } from '../command.js';
import { printPlain, write } from '../output.js';
import { plainStruct } from '../../present/template/types.js';

/** docker version runs -f, as a template named "version", on its system.versionInfo. */
const VERSION = plainStruct('system.versionInfo', {});

export function packageVersion(): string {
  for (const rel of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ctui' && pkg.version) return pkg.version;
    } catch {
      /* try the next level: the bundle and the sources sit at different depths */
    }
  }
  return 'unknown';
}

export const versionCommand: CommandDef = {
  command: 'version',
  describe: 'Show the ctui version information',
  flags: { format: { alias: 'f', type: 'string', describe: 'Format the output using the given Go template' } },
  async run(_ctx, a) {
    const rt = spawnSync(runtimeBinary(), ['--version'], { encoding: 'utf8' });
    const runtime = rt.status === 0 ? rt.stdout.split('\n')[0]!.replace(/^ctui-runtime version /, '') : 'not built';
    const v = {
      Client: { Version: packageVersion(), NodeVersion: process.versions.node, Os: 'linux', Arch: arch() === 'x64' ? 'amd64' : arch() },
      Runtime: { Name: 'ctui-runtime', Version: runtime, OciSpec: '1.0.2' },
    };
    if (typeof a.format === 'string' && a.format) return printPlain(a.format, v, VERSION, 'version');
    write([
      'Client: ctui',
      ` Version:      ${v.Client.Version}`,
      ` Node version: ${v.Client.NodeVersion}`,
      ` OS/Arch:      ${v.Client.Os}/${v.Client.Arch}`,
      '',
      'Runtime: ctui-runtime (embedded, no daemon)',
      ` Version:      ${v.Runtime.Version}`,
      ` OCI spec:     ${v.Runtime.OciSpec}`,
      '',
    ].join('\n'));
  },
};
