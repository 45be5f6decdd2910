/**
 * The status line's wording for actions over one or many objects, in three forms that never mix:
 * under way ("stopping web1…"), done ("stopped web1") and failed ("stop web1 failed: <reason>").
 * A verb names all three, so no message says "stopped" while the stop still waits out its grace period.
 */
export interface Verb {
  /** The imperative, for failures: "stop web1 failed: …". */
  readonly base: string;
  /** Under way: "stopping web1…". */
  readonly doing: string;
  /** Done: "stopped web1". */
  readonly done: string;
}

const verb = (base: string, doing: string, done: string): Verb => ({ base, doing, done });

export const VERBS = {
  start: verb('start', 'starting', 'started'),
  stop: verb('stop', 'stopping', 'stopped'),
  restart: verb('restart', 'restarting', 'restarted'),
  pause: verb('pause', 'pausing', 'paused'),
  unpause: verb('unpause', 'unpausing', 'unpaused'),
  remove: verb('remove', 'removing', 'removed'),
  prune: verb('prune', 'pruning', 'pruned'),
} as const satisfies Record<string, Verb>;

/** What the objects are called: container/containers. */
export interface Noun {
  readonly one: string;
  readonly many: string;
}

/** Names past this many are summed up ("and 12 more"): the status line is one line. */
const MAX_NAMES = 10;

function names(labels: readonly string[]): string {
  if (labels.length <= MAX_NAMES) return labels.join(', ');
  return `${labels.slice(0, MAX_NAMES).join(', ')} and ${labels.length - MAX_NAMES} more`;
}

/** "stopping web1…"; one of many: "stopping web2 (2/3)… esc stops after this one". */
export function progressText(v: Verb, label: string, index: number, total: number): string {
  return total > 1 ? `${v.doing} ${label} (${index + 1}/${total})… esc stops after this one` : `${v.doing} ${label}…`;
}

/** "stopped web1"; "stopped 3 containers: a, b, c"; nothing done: "stopped nothing". */
export function doneText(v: Verb, labels: readonly string[], noun?: Noun): string {
  if (labels.length === 0) return `${v.done} nothing`;
  if (labels.length === 1 || !noun) return `${v.done} ${names(labels)}`;
  return `${v.done} ${labels.length} ${noun.many}: ${names(labels)}`;
}

/** "remove web1 failed: <reason>". */
export function failedText(v: Verb, label: string, reason: string): string {
  return `${v.base} ${label} failed: ${reason}`;
}

export interface Outcome {
  readonly done: readonly string[];
  readonly failed: ReadonlyArray<{ readonly label: string; readonly reason: string }>;
  /** Not reached because esc cancelled. */
  readonly left: number;
}

/**
 * The one line at the end: the failures first (they need reading), then what was done, then what
 * esc left alone. `extra` follows the done part ("; reclaimed 3MB").
 */
export function resultText(v: Verb, o: Outcome, noun?: Noun, extra = ''): string {
  const parts = o.failed.map((f) => failedText(v, f.label, f.reason));
  if (o.done.length || !o.failed.length) parts.push(doneText(v, o.done, noun) + extra);
  const text = parts.join('; ');
  return o.left > 0 ? `${text} (cancelled: ${o.left} left alone)` : text;
}
