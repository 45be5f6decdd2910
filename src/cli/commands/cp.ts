import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Engine, PathStat } from '../../core/engine.js';
import { CtuiError } from '../../core/errors.js';
import type { CommandDef } from '../command.js';
import { positional } from '../flags.js';

/**
 * `ctui cp`, docker's client side (docker/cli cli/command/container/cp.go): which side is the
 * container, docker's stat-then-copy steps, the renaming of the archive's top entry
 * (core/archive/copyarchive.ts). The container side is the engine's statPath/getArchive/putArchive.
 */

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

/** docker's splitCpArg: an absolute path or one starting with "." is local, else NAME:PATH. */
export function splitCpArg(arg: string): [string, string] {
  if (arg.startsWith('/')) return ['', arg];
  const i = arg.indexOf(':');
  if (i < 0 || arg.startsWith('.')) return ['', arg];
  return [arg.slice(0, i), arg.slice(i + 1)];
}

/** filepath.Abs with docker's trailing "/." or "/" kept. */
function resolveLocalPath(p: string): string {
  const abs = path.resolve(p);
  if (p.endsWith('/.') || p === '.') return abs === '/' ? '/.' : `${abs}/.`;
  if (p.endsWith('/') && abs !== '/') return `${abs}/`;
  return abs;
}

const isType = (s: PathStat, t: number) => (s.mode & S_IFMT) === t;

async function statOrUndefined(engine: Engine, c: string, p: string): Promise<PathStat | undefined> {
  try {
    return await engine.containers.statPath(c, p);
  } catch (err) {
    // docker's client goes on without the stat whatever it failed with; the copy itself then says what is wrong.
    if (err instanceof CtuiError) return undefined;
    throw err;
  }
}

async function copyFromContainer(engine: Engine, container: string, srcPath: string, dst: string, opts: { follow: boolean; archive: boolean }): Promise<void> {
  const arch = await import('../../core/archive/copyarchive.js');
  const dstPath = dst === '-' ? '-' : resolveLocalPath(dst);
  if (dstPath !== '-') {
    const dir = path.dirname(path.normalize(dstPath));
    if (!fs.existsSync(dir)) throw new CtuiError(`invalid output path: directory "${dir}" does not exist`, 1);
    try {
      const st = fs.statSync(dstPath);
      if (!st.isDirectory() && !st.isFile()) throw new CtuiError(`invalid output path: "${dstPath}" must be a directory or a regular file`, 1);
    } catch (err) {
      if (err instanceof CtuiError) throw err;
    }
  } else if (process.stdout.isTTY) {
    // An archive is binary (export refuses the same; docker writes it onto the terminal).
    throw new CtuiError('cowardly refusing to write an archive to a terminal: redirect the output', 1);
  }
  let src = srcPath;
  let rebase: string | undefined;
  if (opts.follow) {
    // -L: docker's client follows one symlink at the end, then asks for its target.
    const st = await statOrUndefined(engine, container, src);
    if (st && isType(st, S_IFLNK)) {
      const target = st.linkTarget.startsWith('/') ? st.linkTarget : path.posix.join(arch.splitPathDirEntry(src)[0], st.linkTarget);
      [src, rebase] = arch.getRebaseName(src, target);
    }
  }
  const stat = await engine.containers.statPath(container, src);
  if (dstPath === '-') {
    await engine.containers.getArchive(container, src, process.stdout);
    return;
  }
  const source = { path: src, isDir: isType(stat, S_IFDIR), ...(rebase ? { rebaseName: rebase } : {}) };
  const plan0 = arch.prepareArchiveCopy(source, arch.hostDestination(dstPath));
  // A followed link's archive is named after its target: renamed back first (docker's two rebases in one).
  const top = rebase ? arch.splitPathDirEntry(src)[1] : undefined;
  const plan = top && plan0.rebase ? { ...plan0, rebase: { from: top, to: plan0.rebase.to } } : top ? { ...plan0, rebase: { from: top, to: rebase! } } : plan0;
  const tarStream = new PassThrough();
  const skipped: string[] = [];
  const extracting = arch.extractToHost(tarStream, plan, { keepOwner: opts.archive, onSkip: (rel) => skipped.push(rel) });
  extracting.catch(() => {}); // awaited below, after the archive: its failure then wins
  try {
    await engine.containers.getArchive(container, src, tarStream);
    tarStream.end();
  } catch (err) {
    tarStream.destroy(err as Error);
    // The host side's own refusal (it stopped reading) explains more than the broken stream.
    await extracting;
    throw err;
  }
  await extracting;
  if (skipped.length) process.stderr.write(`ctui: left out ${skipped.length} device node${skipped.length > 1 ? 's' : ''} (not made on the host): ${skipped.join(' ')}\n`);
}

async function copyToContainer(engine: Engine, container: string, src: string, dstPath: string, opts: { follow: boolean; archive: boolean }): Promise<void> {
  const arch = await import('../../core/archive/copyarchive.js');
  const srcPath = src === '-' ? '-' : resolveLocalPath(src);
  let dstInfoPath = dstPath;
  let dstStat = await statOrUndefined(engine, container, dstPath);
  if (dstStat && isType(dstStat, S_IFLNK)) {
    // docker's client writes to what a symlink at the destination names (resolved inside the container).
    const t = dstStat.linkTarget;
    dstInfoPath = t.startsWith('/') ? t : path.posix.join(arch.splitPathDirEntry(dstPath)[0], t);
    dstStat = await statOrUndefined(engine, container, dstInfoPath);
  }
  if (dstStat && !isType(dstStat, S_IFDIR) && !isType(dstStat, S_IFREG)) {
    throw new CtuiError(`destination "${container}:${dstPath}" must be a directory or a regular file`, 1);
  }
  const dst = { path: dstInfoPath, exists: dstStat !== undefined, isDir: dstStat !== undefined && isType(dstStat, S_IFDIR) };
  if (srcPath === '-') {
    if (!dst.isDir) throw new CtuiError(`destination "${container}:${dstPath}" must be a directory`, 1);
    await engine.containers.putArchive(container, dst.path, process.stdin, { copyUIDGID: opts.archive });
    return;
  }
  const source = arch.hostSource(srcPath, opts.follow);
  const plan = arch.prepareArchiveCopy(source, dst);
  // The archive's top entry named as the destination (docker's PrepareArchiveCopy renames it after
  // the fact; naming it so while packing gives the same entries without a second tar pass).
  const packed = arch.packHostPath(plan.rebase ? { ...source, rebaseName: plan.rebase.to } : source);
  await engine.containers.putArchive(container, plan.dir, packed, { copyUIDGID: opts.archive });
}

export const cpCommand: CommandDef = {
  command: 'cp <source> <destination>',
  describe: 'Copy files/folders between a container and the local filesystem',
  flags: {
    archive: { alias: 'a', type: 'boolean', describe: 'Archive mode (copy all uid/gid information)' },
    'follow-link': { alias: 'L', type: 'boolean', describe: 'Always follow symbol link in SRC_PATH' },
  },
  async run(ctx, a) {
    const [srcC, srcP] = splitCpArg(positional(a.source));
    const [dstC, dstP] = splitCpArg(positional(a.destination));
    if (srcC && dstC) throw new CtuiError('copying between containers is not supported', 1);
    if (!srcC && !dstC) throw new CtuiError('must specify at least one container source', 1);
    const engine = await ctx.engine();
    const opts = { follow: a['follow-link'] === true, archive: a.archive === true };
    if (srcC) await copyFromContainer(engine, srcC, srcP, dstP, opts);
    else await copyToContainer(engine, dstC, srcP, dstP, opts);
  },
};
