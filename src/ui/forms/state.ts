/**
 * Forms and the one-line prompt as pure state: the fields, which one has the cursor, and the edits
 * keys make. What submitting does lives in the actions (engine calls); this only holds the text.
 */
export interface Field {
  readonly key: string;
  readonly label: string;
  readonly value: string;
  /** A choice cycled with space or left/right instead of typed text. */
  readonly choices?: readonly string[];
  readonly hint?: string;
}

export interface Form {
  readonly id: 'run' | 'commit';
  readonly title: string;
  /** Lines shown above the fields (the commit form's diff summary). */
  readonly info: readonly string[];
  readonly fields: readonly Field[];
  readonly focus: number;
  /** What the form is for: the image (run) or the container id (commit). */
  readonly target: string;
  /** Submitted and waiting for the engine: keys other than esc are ignored. */
  readonly busy?: boolean;
}

/** The exec prompt: the command shown, editable, before it runs. */
export interface Prompt {
  readonly purpose: 'exec';
  /** Full screen (e) or inside the detail pane (E). */
  readonly where: 'full' | 'pane';
  readonly label: string;
  readonly text: string;
  /** The container id, its name and image (the last command is remembered per image). */
  readonly target: string;
  readonly name: string;
  readonly image: string;
}

export type FormAction =
  | { type: 'type'; text: string }
  | { type: 'erase' }
  | { type: 'clear' }
  | { type: 'next'; delta: 1 | -1 }
  | { type: 'cycle'; delta: 1 | -1 }
  | { type: 'info'; info: readonly string[] }
  | { type: 'busy'; busy: boolean };

export function formReducer(f: Form, a: FormAction): Form {
  const field = f.fields[f.focus];
  const set = (value: string) => ({ ...f, fields: f.fields.map((x, i) => (i === f.focus ? { ...x, value } : x)) });
  switch (a.type) {
    case 'type':
      if (!field) return f;
      // Typing on a choice picks the choice that starts with the letter (d, i).
      if (field.choices) return set(field.choices.find((c) => c.startsWith(a.text)) ?? field.value);
      return set(field.value + a.text);
    case 'erase':
      return !field || field.choices ? f : set([...field.value].slice(0, -1).join(''));
    case 'clear':
      return !field || field.choices ? f : set('');
    case 'next':
      return { ...f, focus: (f.focus + a.delta + f.fields.length) % f.fields.length };
    case 'cycle': {
      if (!field?.choices) return f;
      const i = field.choices.indexOf(field.value);
      return set(field.choices[(i + a.delta + field.choices.length) % field.choices.length]!);
    }
    case 'info':
      return { ...f, info: a.info };
    case 'busy':
      return { ...f, busy: a.busy };
  }
}

export function fieldValue(f: Form, key: string): string {
  return f.fields.find((x) => x.key === key)?.value.trim() ?? '';
}
