import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import { CtuiError, errnoCode, systemReason } from '../errors.js';

/** Opens what `import` was given: a file, `-` for stdin, or an http(s) URL. */
export async function openSource(src: string, stdin: Readable = process.stdin): Promise<Readable> {
  if (src === '-') return stdin;
  if (/^https?:\/\//i.test(src)) return openUrl(src, 5);
  try {
    const fd = fs.openSync(src, 'r');
    if (fs.fstatSync(fd).isDirectory()) {
      fs.closeSync(fd);
      throw new CtuiError(`${src} is a directory, not an archive`);
    }
    return fs.createReadStream('', { fd });
  } catch (err) {
    if (err instanceof CtuiError) throw err;
    if (errnoCode(err) === 'ENOENT') throw new CtuiError(`open ${src}: no such file or directory`);
    throw new CtuiError(`open ${src}: ${systemReason(err)}`);
  }
}

function openUrl(url: string, redirects: number): Promise<Readable> {
  const get = url.startsWith('https:') ? https.get : http.get;
  return new Promise((resolve, reject) => {
    const req = get(url, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location && redirects > 0) {
        res.resume();
        resolve(openUrl(new URL(res.headers.location, url).toString(), redirects - 1));
        return;
      }
      if (status !== 200) {
        res.resume();
        reject(new CtuiError(`downloading ${url}: HTTP ${status}`));
        return;
      }
      resolve(res);
    });
    req.on('error', (err) => reject(new CtuiError(`downloading ${url}: ${err.message}`)));
  });
}
