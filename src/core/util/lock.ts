import { createHash, randomBytes } from 'node:crypto';
import * as net from 'node:net';
import { linkSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CtuiError, errnoCode } from '../errors.js';

/**
 * The store's writer lock, shared by every ctui process on the host.
 *
 * It is a listening unix socket in the abstract namespace, named after the store root. Binding a
 * name there is atomic and exclusive, and the kernel releases it the moment the holder dies, even
 * by SIGKILL: no stale lock file to detect, no pid-reuse race when stealing one (the classic bugs of
 * O_EXCL lock files), and no native addon for flock(2). Readers never take it. Writers hold it only
 * for the short metadata step of an operation (renaming a staged layer into place, writing an image,
 * a tag, a container record); long work such as unpacking a layer happens before, unlocked.
 *
 * Any user may bind any abstract name, so a name made from the root's path alone let another host
 * user hold the store's lock forever (every root writer waited, then failed). The name also carries
 * a random key kept in the store (`lock.key`, 0600 under the 0700 root): only who can read the store
 * can name its lock.
 */
export class StoreLock {
  private addressCache: string | undefined;
  private server: net.Server | undefined;
  private depth = 0;

  constructor(private readonly root: string) {}

  private get address(): string {
    if (this.addressCache) return this.addressCache;
    let real = this.root;
    try {
      real = realpathSync(this.root);
    } catch {
      /* root not made yet: its name is still unique */
    }
    const h = createHash('sha256').update(real).update('\0').update(lockKey(real)).digest('hex').slice(0, 40);
    return (this.addressCache = `\0ctui-store-${h}`);
  }

  async acquire(timeoutMs = 120_000): Promise<void> {
    if (this.depth > 0) {
      this.depth++;
      return;
    }
    const deadline = Date.now() + timeoutMs;
    let wait = 1;
    for (;;) {
      const server = net.createServer();
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen({ path: this.address, exclusive: true }, () => resolve());
        });
        // The lock must never keep the event loop (and so the process) alive by itself.
        server.unref();
        this.server = server;
        this.depth = 1;
        return;
      } catch (err) {
        server.close();
        if (errnoCode(err) !== 'EADDRINUSE') throw err;
        if (Date.now() > deadline) {
          throw new CtuiError('the store is locked by another ctui process (waited too long)');
        }
        await new Promise((r) => setTimeout(r, wait));
        wait = Math.min(wait * 2, 50);
      }
    }
  }

  release(): void {
    if (this.depth === 0) return;
    this.depth--;
    if (this.depth === 0 && this.server) {
      this.server.close();
      this.server = undefined;
    }
  }

  async with<T>(fn: () => Promise<T> | T): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}

/** The store's lock key: made once (complete before anyone can see it: link of a written file), then read. */
function lockKey(root: string): string {
  const file = path.join(root, 'lock.key');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, randomBytes(16).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, file);
  } catch (err) {
    if (errnoCode(err) !== 'EEXIST') throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
  return readFileSync(file, 'utf8').trim();
}
