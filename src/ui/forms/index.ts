/**
 * Forms (run, commit) and terminal hand-overs (attach, exec) come next (issue #6, part 2). The keymap
 * already reserves their keys (r, c, a, e) and actions.ts routes them here; each returns what the
 * status line says until it exists. A form will be a mode of the UI state (like the dialogs) with its
 * component in this folder; attach/exec need the app to release the terminal (see app.tsx: suspend).
 */
export type FormId = 'run' | 'attach' | 'exec' | 'commit';

export function notYet(id: FormId): string {
  const what = { run: 'the run form', attach: 'attach', exec: 'exec', commit: 'the commit form' }[id];
  return `${what} is not in the UI yet: use \`ctui ${id} ...\` in a shell for now (or :run IMAGE [CMD...] to start one detached)`;
}
