import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { constants as osConstants } from 'node:os';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TuiHost } from '../ui/host.js';

/** The terminal UI's access to files (it has none of its own, DESIGN §1): keys.json, saved logs, bench traces. */
export function createTuiHost(env: NodeJS.ProcessEnv = process.env, root?: string): TuiHost {
  const traceFile = env.CTUI_TUI_TRACE;
  // The UI's memory between runs (last exec command per image): XDG state, not config.
  const stateFile = path.join(env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state'), 'ctui', 'tui-state.json');
  const readState = (): { exec?: Record<string, string> } => {
    try {
      const v: unknown = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
      return v && typeof v === 'object' ? (v as { exec?: Record<string, string> }) : {};
    } catch {
      return {}; // none yet, or unreadable: start afresh rather than fail
    }
  };
  return {
    keyConfigPath: () => path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'ctui', 'keys.json'),
    readKeyConfig() {
      const file = this.keyConfigPath();
      try {
        return { text: fs.readFileSync(file, 'utf8'), source: file };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        return { text: '\0', source: `${file} (${(err as Error).message})` };
      }
    },
    async writeFile(p, text) {
      const abs = path.resolve(p);
      // A temp file renamed into place: a reader never sees half a log.
      const tmp = `${abs}.tmp-${process.pid}`;
      await fs.promises.writeFile(tmp, text, { mode: 0o644 });
      await fs.promises.rename(tmp, abs);
      return abs;
    },
    lastExec(image) {
      const v = readState().exec?.[image];
      return typeof v === 'string' ? v : undefined;
    },
    rememberExec(image, command) {
      try {
        const st = readState();
        st.exec = { ...(st.exec ?? {}), [image]: command };
        fs.mkdirSync(path.dirname(stateFile), { recursive: true });
        const tmp = `${stateFile}.tmp-${process.pid}`;
        fs.writeFileSync(tmp, JSON.stringify(st, null, 2) + '\n');
        fs.renameSync(tmp, stateFile);
      } catch {
        /* a read-only home: the prompt just will not remember */
      }
    },
    detachKeys() {
      // docker reads detachKeys from its config.json; ctui takes them from the environment.
      return env.CTUI_DETACH_KEYS || undefined;
    },
    trace(mark) {
      // Milliseconds since the process started (performance.timeOrigin), so the first frame counts node's own start-up.
      if (traceFile) fs.appendFileSync(traceFile, `${performance.now().toFixed(1)} ${mark}\n`);
    },
    runCommand(line, o) {
      // The user's own command line (keys.json customCommands), run by their shell as they wrote it;
      // CTUI_ROOT makes a `ctui` inside it reach the store this UI shows.
      const child = spawn('/bin/sh', ['-c', line], {
        env: { ...env, ...(root ? { CTUI_ROOT: root } : {}) },
        stdio: o.terminal ? 'inherit' : ['ignore', 'pipe', 'pipe'],
        ...(o.signal ? { signal: o.signal } : {}),
      });
      for (const s of [child.stdout, child.stderr]) s?.on('data', (d: Buffer) => o.onOutput?.(d.toString('utf8')));
      return new Promise((resolve) => {
        child.on('error', (err) => resolve({ code: 127, error: err.message }));
        child.on('close', (code, sig) => resolve({ code: code ?? 128 + (sig ? (osConstants.signals[sig] ?? 0) : 0) }));
      });
    },
  };
}
