/**
 * The alternate screen: the TUI draws there so the user's scrollback stays intact; a full-screen
 * session (attach, exec, run -it) leaves it so the container's output lands in the normal screen
 * like `ctui attach` in a shell, and the TUI re-enters it afterwards.
 */
export const ENTER_ALT = '\x1b[?1049h\x1b[H';
export const LEAVE_ALT = '\x1b[?25h\x1b[?1049l';

/** "ctrl-p,ctrl-q" as the banner says it: "ctrl-p ctrl-q". */
export function describeDetachKeys(keys: string | undefined): string {
  return (keys || 'ctrl-p,ctrl-q').split(',').map((k) => k.trim()).join(' ');
}
