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
