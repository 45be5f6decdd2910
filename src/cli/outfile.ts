import * as fs from 'node:fs';
import * as path from 'node:path';
import { CtuiError, errnoCode, systemReason } from '../core/errors.js';
import { tempName } from '../core/util/fs.js';

/**
 * `-o FILE` for save and export: writes next to the target and renames into place only when the
 * archive is complete, so a failure (a damaged layer, ctrl-c, a full disk) leaves no file behind and
 * an existing file stays as it was.
 */
export async function writeFileAtomically(target: string, write: (out: fs.WriteStream) => Promise<void>): Promise<void> {
  const abs = path.resolve(target);
  const tmp = tempName(abs);
  let out: fs.WriteStream;
  try {
    out = fs.createWriteStream(tmp, { flags: 'wx', mode: 0o644, highWaterMark: 1 << 20 });
    await new Promise<void>((resolve, reject) => out.once('open', () => resolve()).once('error', reject));
  } catch (err) {
    // The user's path and what is wrong with it (not our temp file's name, not a raw errno).
    const code = errnoCode(err);
    const why = code === 'ENOENT' ? `the directory ${path.dirname(abs)} does not exist` : code === 'ENOTDIR' ? `${path.dirname(abs)} is not a directory` : systemReason(err);
    throw new CtuiError(`cannot write ${target}: ${why}`, 1);
  }
  try {
    await write(out);
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    fs.renameSync(tmp, abs);
  } catch (err) {
    out.destroy();
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
