import type { Layout } from '../store/layout.js';
import type { ContainerState } from './model.js';
import { containerPaused, containerProcessAlive, monitorAlive, readHealth, readMonitorStatus } from './monitor.js';

/**
 * The truth about a container, from what its monitor recorded and what the kernel says now:
 *  - no status.json: the container never started (or was only ever run before monitors): state.json;
 *  - the monitor is alive: its status.json, plus "paused" from the freezer and health from health.json;
 *  - the monitor died (killed with -9, a crash): running only while the container's init is still alive
 *    in its cgroup; otherwise exited, with the code the monitor recorded, or 255 when it could not.
 * So nothing is reported "running" forever, and nothing running is reported exited.
 */
export function deriveState(layout: Layout, id: string, own: ContainerState): ContainerState {
  let st = readMonitorStatus(layout, id);
  // A start under way has not written its status yet: while its monitor lives the container is
  // being created; if no monitor runs it (its caller died before attaching), the last life's exit
  // still stands, as docker keeps Exited (N) after a start that failed.
  if (!st && own.Status === 'created' && !monitorAlive(layout, id)) st = readMonitorStatus(layout, id, 'lastStatus');
  if (!st) return own;
  const state: ContainerState = {
    ...own,
    Status: st.status === 'running' ? 'running' : st.status === 'restarting' ? 'restarting' : 'exited',
    Pid: st.status === 'exited' ? 0 : st.pid,
    ExitCode: st.exitCode,
    Error: st.error,
    StartedAt: st.startedAt || own.StartedAt,
    FinishedAt: st.finishedAt || own.FinishedAt,
    RestartCount: st.restartCount,
  };
  if (state.Status !== 'exited' && !monitorAlive(layout, id)) {
    if (state.Status === 'running' && containerProcessAlive(st.pid, id)) {
      state.Error = 'its monitor is gone: no log, attach or restart until it is restarted';
    } else {
      state.Status = 'exited';
      state.Pid = 0;
      state.ExitCode = 255;
      state.Error = 'the container exited while its monitor was gone (exit code unknown)';
    }
  }
  if (state.Status === 'running' && containerPaused(id)) state.Status = 'paused';
  if (state.Status !== 'exited') {
    const health = readHealth(layout, id);
    if (health) state.Health = health;
  }
  return state;
}
