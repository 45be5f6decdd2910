/**
 * One list's selection, scroll window and marks, as a pure reducer. Rows are named by id so that the
 * selection and the marks survive refreshes (rows come and go as containers start and die) and filters.
 * Every action carries the ids currently shown (after the filter) and the window height, so the reducer
 * needs nothing else and the tests need no React.
 */
export interface ListState {
  /** Index of the selected row among the shown ids. */
  readonly cursor: number;
  /** The selected row's id: the cursor follows it when rows move. */
  readonly selectedId: string | undefined;
  /** First shown row (only rows offset..offset+height render: the virtual window). */
  readonly offset: number;
  readonly marks: ReadonlySet<string>;
  /** Where a range mark (V) starts: the last row marked. */
  readonly anchor: string | undefined;
}

export const emptyList: ListState = { cursor: 0, selectedId: undefined, offset: 0, marks: new Set(), anchor: undefined };

export type ListAction =
  | { type: 'move'; delta: number }
  | { type: 'moveTo'; index: number }
  | { type: 'page'; direction: 1 | -1 }
  | { type: 'sync' }
  | { type: 'mark' }
  | { type: 'markRange' }
  | { type: 'extend'; delta: 1 | -1 }
  | { type: 'unmarkAll' }
  /** Every shown row marked (rows the filter hides keep what they had). */
  | { type: 'markAll' }
  /** Every shown row's mark flipped (rows the filter hides keep what they had). */
  | { type: 'invertMarks' }
  | { type: 'dropMarks'; ids: readonly string[] };

export interface ListView {
  readonly ids: readonly string[];
  readonly height: number;
}

/** Keeps the cursor inside the window, the window inside the rows. */
function place(s: ListState, cursor: number, view: ListView): ListState {
  const n = view.ids.length;
  const h = Math.max(1, view.height);
  const c = n === 0 ? 0 : Math.max(0, Math.min(cursor, n - 1));
  let offset = s.offset;
  if (c < offset) offset = c;
  if (c >= offset + h) offset = c - h + 1;
  offset = Math.max(0, Math.min(offset, Math.max(0, n - h)));
  const selectedId = view.ids[c];
  // Unchanged is the same object: a sync after every reload or clock tick must not cost a second frame.
  if (c === s.cursor && offset === s.offset && selectedId === s.selectedId) return s;
  return { ...s, cursor: c, offset, selectedId };
}

export function listReducer(s: ListState, a: ListAction, view: ListView): ListState {
  switch (a.type) {
    case 'move':
      return place(s, s.cursor + a.delta, view);
    case 'moveTo':
      return place(s, a.index < 0 ? view.ids.length + a.index : a.index, view);
    case 'page':
      return place({ ...s, offset: s.offset + a.direction * Math.max(1, view.height - 1) }, s.cursor + a.direction * Math.max(1, view.height - 1), view);
    case 'sync': {
      // The data or the filter changed: stay on the same row if it is still shown.
      const at = s.selectedId === undefined ? -1 : view.ids.indexOf(s.selectedId);
      return place(s, at >= 0 ? at : s.cursor, view);
    }
    case 'mark': {
      const id = view.ids[s.cursor];
      if (id === undefined) return s;
      const marks = new Set(s.marks);
      if (marks.has(id)) marks.delete(id);
      else marks.add(id);
      // Marking moves on, as in a file manager: space space space marks three rows.
      return place({ ...s, marks, anchor: id }, s.cursor + 1, view);
    }
    case 'markRange': {
      const id = view.ids[s.cursor];
      if (id === undefined) return s;
      const from = s.anchor === undefined ? -1 : view.ids.indexOf(s.anchor);
      const start = from < 0 ? s.cursor : Math.min(from, s.cursor);
      const end = from < 0 ? s.cursor : Math.max(from, s.cursor);
      const marks = new Set(s.marks);
      for (let i = start; i <= end; i++) marks.add(view.ids[i]!);
      return { ...s, marks, anchor: id };
    }
    case 'extend': {
      // shift-down/shift-up, as in a file manager: this row and the next are marked, the cursor moves.
      const id = view.ids[s.cursor];
      if (id === undefined) return s;
      const next = Math.max(0, Math.min(view.ids.length - 1, s.cursor + a.delta));
      const marks = new Set(s.marks).add(id).add(view.ids[next]!);
      return place({ ...s, marks, anchor: s.anchor ?? id }, next, view);
    }
    case 'unmarkAll':
      return { ...s, marks: new Set(), anchor: undefined };
    case 'markAll': {
      if (view.ids.every((id) => s.marks.has(id))) return s;
      return { ...s, marks: new Set([...s.marks, ...view.ids]), anchor: undefined };
    }
    case 'invertMarks': {
      if (view.ids.length === 0) return s;
      const marks = new Set(s.marks);
      for (const id of view.ids) {
        if (marks.has(id)) marks.delete(id);
        else marks.add(id);
      }
      return { ...s, marks, anchor: undefined };
    }
    case 'dropMarks': {
      // Rows that are gone cannot stay marked (a bulk action must never act on a stale id).
      const keep = new Set(a.ids);
      const marks = new Set([...s.marks].filter((m) => keep.has(m)));
      return marks.size === s.marks.size ? s : { ...s, marks };
    }
  }
}

/** The ids a bulk action acts on: the marked rows, or else the selected one. */
export function targets(s: ListState, ids: readonly string[]): string[] {
  if (s.marks.size > 0) return ids.filter((id) => s.marks.has(id));
  const id = ids[s.cursor];
  return id === undefined ? [] : [id];
}
