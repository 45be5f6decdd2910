/**
 * Loads the UI's modules as a terminal program: without CI in the environment (see hideCi) and
 * without a global fetch (see importWithoutFetch).
 */
export function importForTerminal<T>(load: () => Promise<T>): Promise<T> {
  return hideCi(() => importWithoutFetch(load));
}

/**
 * Ink reads CI and CONTINUOUS_INTEGRATION once, when its module loads, and with either set it draws
 * nothing until the app ends (it takes the output for a CI log). ctui's UI only starts on a terminal,
 * so a CI variable a user's shell or job exports must not blank it: the variables are hidden while
 * the modules load and put back after, so commands the UI runs still see them.
 */
async function hideCi<T>(load: () => Promise<T>): Promise<T> {
  const saved = new Map<string, string>();
  for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) {
    const value = process.env[key];
    if (value === undefined) continue;
    saved.set(key, value);
    delete process.env[key];
  }
  try {
    return await load();
  } finally {
    for (const [key, value] of saved) process.env[key] = value;
  }
}

/**
 * Loads the UI's modules without a global fetch. Ink's layout engine (yoga-layout) is WebAssembly
 * shipped as a base64 data: URL, and its emscripten loader fetch()es that URL whenever fetch exists:
 * in Node the first touch of the global fetch loads undici, ~50-80 ms of the first frame (issue 12),
 * to decode bytes the loader otherwise decodes itself (its path when there is no fetch). The global
 * is put back as it was (Node's lazy getter) once the modules are loaded; nothing in them keeps it.
 */
export async function importWithoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const own = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!own?.configurable) return load();
  Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true, enumerable: own.enumerable ?? false });
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'fetch', own);
  }
}
