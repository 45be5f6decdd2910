import * as fs from 'node:fs';
import * as net from 'node:net';
import { CtuiError } from '../errors.js';
import type { Layout } from '../store/layout.js';
import { monitorFile } from './monitor.js';

/**
 * A client of the monitor's attach socket (framing in src/native/SPEC.md): [type u8][length u32 BE][payload].
 * Used by `attach`, by foreground `run`/`start -a`, by `stop` (NORESTART) and later by the TUI.
 */
export const FRAME = { STDIN: 0, RESIZE: 1, CLOSE_STDIN: 2, NORESTART: 3 } as const;
export const OUT = { STDOUT: 1, STDERR: 2, EXIT: 3 } as const;

export interface AttachCallbacks {
  onStdout(data: Buffer): void;
  onStderr(data: Buffer): void;
  /** The container exited for good, with this code. */
  onExit(code: number): void;
  /** The connection ended without an exit frame (monitor gone, or we detached). */
  onClose(): void;
}

export class AttachConnection {
  private buf: Buffer = Buffer.alloc(0);
  private exited = false;

  private constructor(private readonly sock: net.Socket, private readonly cb: AttachCallbacks) {
    sock.on('data', (d: Buffer) => this.onData(d));
    sock.on('close', () => {
      if (!this.exited) cb.onClose();
    });
    sock.on('error', () => {
      /* close follows */
    });
  }

  /**
   * Connects through /proc/self/fd/N/attach.sock: a unix socket path is limited to 108 bytes, and a
   * store under a long directory would exceed it; the directory fd keeps the path short.
   */
  static connect(layout: Layout, id: string, cb: AttachCallbacks): Promise<AttachConnection> {
    const dir = layout.containerDir(id);
    let fd: number;
    try {
      fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
    } catch {
      return Promise.reject(new CtuiError(`No such container: ${id}`, 1));
    }
    const file = monitorFile(layout, id, 'attach');
    const p = file.length < 100 ? file : `/proc/self/fd/${fd}/${file.slice(dir.length + 1)}`;
    return new Promise((resolve, reject) => {
      const sock = net.connect({ path: p });
      sock.once('connect', () => {
        fs.closeSync(fd);
        resolve(new AttachConnection(sock, cb));
      });
      sock.once('error', (err) => {
        fs.closeSync(fd);
        reject(new CtuiError(`cannot attach to the container (its monitor is not running): ${err.message}`, 1));
      });
    });
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
    while (this.buf.length >= 5) {
      const len = this.buf.readUInt32BE(1);
      if (this.buf.length < 5 + len) break;
      const type = this.buf[0];
      const payload = this.buf.subarray(5, 5 + len);
      this.buf = this.buf.subarray(5 + len);
      if (type === OUT.STDOUT) this.cb.onStdout(payload);
      else if (type === OUT.STDERR) this.cb.onStderr(payload);
      else if (type === OUT.EXIT) {
        this.exited = true;
        this.cb.onExit(Number(payload.toString()) || 0);
      }
    }
  }

  private frame(type: number, payload: Buffer = Buffer.alloc(0)): void {
    const head = Buffer.alloc(5);
    head[0] = type;
    head.writeUInt32BE(payload.length, 1);
    this.sock.write(Buffer.concat([head, payload]));
  }

  stdin(data: Buffer): void {
    this.frame(FRAME.STDIN, data);
  }

  resize(rows: number, cols: number): void {
    const p = Buffer.alloc(4);
    p.writeUInt16BE(Math.max(0, Math.min(rows, 0xffff)), 0);
    p.writeUInt16BE(Math.max(0, Math.min(cols, 0xffff)), 2);
    this.frame(FRAME.RESIZE, p);
  }

  closeStdin(): void {
    this.frame(FRAME.CLOSE_STDIN);
  }

  /** With killAfterMs: the monitor itself kills the container then if it still runs (a stop's deadline). */
  noRestart(killAfterMs?: number): Promise<void> {
    const p = Buffer.alloc(killAfterMs === undefined ? 0 : 4);
    if (killAfterMs !== undefined) p.writeUInt32BE(Math.max(0, Math.min(Math.round(killAfterMs), 0xffffffff)), 0);
    this.frame(FRAME.NORESTART, p);
    return new Promise((resolve) => this.sock.end(resolve));
  }

  close(): void {
    this.sock.end();
    this.sock.destroy();
  }
}

/**
 * Detach keys as docker parses them: "ctrl-p,ctrl-q" (default), "ctrl-a,x" ... Returns the byte sequence.
 */
export function parseDetachKeys(spec: string): Buffer {
  const bytes: number[] = [];
  for (const key of spec.split(',')) {
    const k = key.trim();
    const ctrl = /^ctrl-(.)$/i.exec(k);
    if (ctrl) {
      const c = ctrl[1]!.toLowerCase();
      if (c >= 'a' && c <= 'z') bytes.push(c.charCodeAt(0) - 96);
      else if (c === '@') bytes.push(0);
      else if (c === '[') bytes.push(27);
      else if (c === '\\') bytes.push(28);
      else if (c === ']') bytes.push(29);
      else if (c === '^') bytes.push(30);
      else if (c === '_') bytes.push(31);
      else throw new CtuiError(`invalid detach keys: ${spec}`);
    } else if (k.length === 1) bytes.push(k.charCodeAt(0));
    else throw new CtuiError(`invalid detach keys: ${spec}`);
  }
  if (bytes.length === 0) throw new CtuiError(`invalid detach keys: ${spec}`);
  return Buffer.from(bytes);
}

/**
 * Watches typed input for the detach sequence. Bytes that could start it are held back until it is
 * clear they do not (then passed on), so a lone ctrl-p still reaches the container.
 */
export class DetachMatcher {
  private held: number[] = [];
  constructor(private readonly seq: Buffer) {}

  /** The bytes to forward, whether the sequence was completed, and what came after it in the same read. */
  feed(data: Buffer): { forward: Buffer; detach: boolean; rest?: Buffer } {
    const out: number[] = [];
    for (let i = 0; i < data.length; i++) {
      this.held.push(data[i]!);
      if (this.held.length === this.seq.length && this.held.every((x, j) => x === this.seq[j])) {
        this.held = [];
        return { forward: Buffer.from(out), detach: true, rest: data.subarray(i + 1) };
      }
      while (this.held.length > 0 && !this.held.every((x, i) => x === this.seq[i])) out.push(this.held.shift()!);
    }
    return { forward: Buffer.from(out), detach: false };
  }
}
