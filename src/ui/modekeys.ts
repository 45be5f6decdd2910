import type { Actions } from './actions.js';
import type { InkKey } from './keymap.js';
import { dialogCancelText } from './state/dialog.js';
import type { UiAction, UiState } from './state/ui.js';

/** Printable text a key typed (not a control or meta combination), or undefined. */
function typed(key: string, input: string, k: InkKey): string | undefined {
  if (key === 'space') return ' ';
  return input && !k.ctrl && !k.meta && [...input].every((c) => c >= ' ') ? input : undefined;
}

/**
 * Keys while a line is edited or an overlay is open (filter, `:` line, the exec prompt, a form, help,
 * a dialog): these modes take every key, so the keymap's bindings do not apply. Returns false in
 * the normal mode, where the keymap decides.
 */
export function modeKey(m: UiState['mode'], key: string, input: string, k: InkKey, dispatch: (a: UiAction) => void, actions: Actions, outputHeight = 20): boolean {
  switch (m.kind) {
    case 'filter':
    case 'command': {
      const text = typed(key, input, k);
      if (m.kind === 'command' && key === 'enter') actions.commandLine.submit(m.text);
      else if (m.kind === 'command' && key === 'tab') actions.commandLine.complete(m.text);
      else if (m.kind === 'command' && (key === 'up' || key === 'down')) actions.commandLine.history(key === 'up' ? -1 : 1, m);
      else if (key === 'enter') dispatch({ type: 'commit' });
      else if (key === 'esc') dispatch({ type: 'cancelInput' });
      else if (key === 'backspace' || key === 'delete') dispatch({ type: 'erase' });
      else if (text !== undefined) dispatch({ type: 'type', text });
      return true;
    }
    case 'prompt': {
      const text = typed(key, input, k);
      if (key === 'enter') {
        dispatch({ type: 'closeMode' });
        actions.sessions.submitPrompt(m.prompt);
      } else if (key === 'esc') {
        dispatch({ type: 'closeMode' });
        dispatch({ type: 'status', text: `cancelled: ${m.prompt.label}`, tone: 'info' });
      } else if (key === 'backspace' || key === 'delete') dispatch({ type: 'erase' });
      else if (text !== undefined) dispatch({ type: 'type', text });
      return true;
    }
    case 'form': {
      const f = m.form;
      const choice = f.fields[f.focus]?.choices !== undefined;
      const text = typed(key, input, k);
      if (key === 'esc' && f.busy) actions.cancel(); // the running commit or run stops, and says so
      else if (key === 'esc') {
        dispatch({ type: 'closeMode' });
        dispatch({ type: 'status', text: `cancelled: ${f.id === 'run' ? 'nothing run' : 'nothing committed'}`, tone: 'info' });
      } else if (f.busy) return true;
      else if (key === 'enter') void actions.sessions.submitForm(f);
      else if (key === 'tab' || key === 'down') dispatch({ type: 'form', action: { type: 'next', delta: 1 } });
      else if (key === 'shift-tab' || key === 'up') dispatch({ type: 'form', action: { type: 'next', delta: -1 } });
      else if (choice && (key === 'space' || key === 'right')) dispatch({ type: 'form', action: { type: 'cycle', delta: 1 } });
      else if (choice && key === 'left') dispatch({ type: 'form', action: { type: 'cycle', delta: -1 } });
      else if (key === 'backspace' || key === 'delete') dispatch({ type: 'form', action: { type: 'erase' } });
      else if (key === 'ctrl-u') dispatch({ type: 'form', action: { type: 'clear' } });
      else if (text !== undefined) dispatch({ type: 'form', action: { type: 'type', text } });
      return true;
    }
    case 'help':
      if (key === 'j' || key === 'down') dispatch({ type: 'helpScroll', delta: 1 });
      else if (key === 'k' || key === 'up') dispatch({ type: 'helpScroll', delta: -1 });
      else if (key === 'pgdn' || key === 'space') dispatch({ type: 'helpScroll', delta: 10 });
      else if (key === 'pgup') dispatch({ type: 'helpScroll', delta: -10 });
      else if (key === 'esc' || key === '?' || key === 'q' || key === 'enter') dispatch({ type: 'closeMode' });
      return true;
    case 'output': {
      // The body's height is the caller's to know; paging by 10 lines is close enough at any size.
      const scroll = (delta: number | 'start' | 'end') => dispatch({ type: 'outputScroll', delta, height: outputHeight });
      if (key === 'j' || key === 'down') scroll(1);
      else if (key === 'k' || key === 'up') scroll(-1);
      else if (key === 'pgdn' || key === 'space' || key === 'ctrl-f') scroll(10);
      else if (key === 'pgup' || key === 'ctrl-b') scroll(-10);
      else if (key === 'g' || key === 'home') scroll('start');
      else if (key === 'G' || key === 'end') scroll('end');
      else if (key === 'esc' || key === 'q' || key === 'enter') {
        dispatch({ type: 'closeMode' });
        // A command still running goes on; its end is said in the status line.
        if (!m.output.done) dispatch({ type: 'status', text: `${m.output.title.split(':')[0]}: still running, its end will show here`, tone: 'progress' });
      }
      return true;
    }
    case 'dialog':
      if (key === 'esc' || key === 'q') {
        dispatch({ type: 'closeMode' });
        dispatch({ type: 'status', text: dialogCancelText(m.dialog), tone: 'info' });
      } else if (key === 'enter') void actions.confirm(m.dialog);
      else if (key === 'space') dispatch({ type: 'dialogToggle' });
      else if (key === 'down') dispatch({ type: 'dialogMove', delta: 1 });
      else if (key === 'up') dispatch({ type: 'dialogMove', delta: -1 });
      // j and k typed fast (key repeat, or several in one read under load) arrive as one run: each counts,
      // or an enter right after would act on the wrong entry.
      else if (/^[jk]+$/.test(key)) dispatch({ type: 'dialogMove', delta: [...key].reduce((n, c) => n + (c === 'j' ? 1 : -1), 0) });
      return true;
    default:
      return false;
  }
}
