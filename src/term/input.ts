/**
 * After a session on the whole terminal ends (a detach, the container's exit), what the user typed
 * for it and was not yet read must never become keys of the UI drawn next: `s` typed right after the
 * detach keys would stop the container, `d` would ask to remove it. This reads and drops it all:
 * bytes given back to the stream (what came after the detach keys in the same read) and bytes the
 * kernel still holds (raw first, so a line not yet ended is readable too, and nothing is echoed).
 */
export async function discardTypedInput(stdin: NodeJS.ReadStream, settleMs = 15): Promise<void> {
  if (!stdin.isTTY) return;
  try {
    stdin.setRawMode(true);
  } catch {
    return; // the terminal is gone: nothing to read
  }
  const drop = () => {};
  stdin.on('data', drop);
  stdin.resume();
  // The stream's own buffer goes on the next tick; what the kernel holds, on the next polls of the loop.
  await new Promise((r) => setTimeout(r, settleMs));
  stdin.off('data', drop);
  stdin.pause();
}
