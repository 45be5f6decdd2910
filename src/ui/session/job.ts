import type { Tone } from '../state/ui.js';
import type { PaneSession } from './inpane.js';

/**
 * A full-screen session is a job the app runs with the terminal handed over: the Ink tree is
 * unmounted (its state kept outside React), the job owns stdin/stdout until it resolves, then the
 * UI is drawn again where it was with the job's result in the status line.
 */
export interface JobResult {
  readonly text: string;
  readonly tone: Tone;
  /** A container to select in the Containers pane afterwards (run: the new one). */
  readonly select?: string;
  /** A session taken full screen from the pane (or started there) and handed to the pane: the session itself. */
  readonly pane?: PaneSession;
  /** Where the keys go when the UI is back: to the session in the pane (moved there by ctrl-t), else where they were. */
  readonly focus?: 'detail';
}

/** signal: aborted when ctui itself is told to go (SIGTERM/SIGHUP) while the job has the terminal. */
export type Job = (signal: AbortSignal) => Promise<JobResult>;

/** Given to the app by runApp: saves the UI state, unmounts Ink, runs the job, mounts again. */
export type HandOff = (job: Job) => void;
