import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CtuiError, NotFoundError } from '../errors.js';
import type { Store } from '../store/store.js';
import { pidStartTime, writeJsonAtomicSync } from '../util/fs.js';
import { initialState, type ContainerRecord } from './model.js';
import { randomName } from './names.js';
import { mergeEnv, parseCpus, parseDuration, parseEnv, parseMemory, parseNetwork, parseRestart, parseSecurityOpts, validateCaps, validateHostname, validateMemory, validateStopTimeout, validateUserSpec, validateWorkdir, validateHealth, type CreateOptions } from './options.js';
import type { HealthcheckConfig } from './model.js';
import { recordCreate } from './lifecycle.js';
import { validateSignal } from '../util/signals.js';
import { appendEvent } from '../events/log.js';
import { resolveRuntime } from '../runtime/oci.js';
import { parseMountFlags } from '../volumes/flags.js';
import { planMounts } from '../volumes/plan.js';
import { applyMountPlan, rollback } from '../volumes/apply.js';
import { chooseProfile, loadProfile, parseProfileText } from '../bundle/seccomp.js';

/**
 * `create`: checks every flag first (a bad one leaves no trace), then makes the container record
 * under the store lock: the name is reserved atomically and the directory appears by rename, so a
 * crash at any point leaves either nothing or a whole container.
 */
export async function createContainer(store: Store, o: CreateOptions): Promise<string> {
  const memory = parseMemory(o.memory, '--memory');
  const memorySwap = parseMemory(o.memorySwap, '--memory-swap');
  const cpus = parseCpus(o.cpus);
  validateMemory(memory, memorySwap);
  validateWorkdir(o.workdir);
  validateSignal(o.stopSignal);
  validateStopTimeout(o.stopTimeout);
  validateHostname(o.hostname);
  validateUserSpec(o.user);
  const network = parseNetwork(o.network);
  const security = parseSecurityOpts(o.securityOpt ?? []);
  // The profile is chosen (and checked) now and recorded: every start of this container uses the same.
  let seccomp = chooseProfile(security.seccomp, o.privileged ?? false);
  // A profile file of the user's is taken as it is now (docker keeps its text in the container's
  // config): editing or replacing the file later must not change what the container gets. The
  // bytes checked are the bytes kept.
  const customProfile = seccomp.Name === 'custom' ? parseProfileText(fs.readFileSync(seccomp.Path), seccomp.Path) : undefined;
  if (seccomp.Name !== 'unconfined' && !customProfile) loadProfile(seccomp.Path);
  validateCaps([...(o.capAdd ?? []), ...(o.capDrop ?? [])]);
  const env = parseEnv(o.env ?? [], o.envFiles ?? []);
  if (o.pidsLimit !== undefined && (!Number.isInteger(o.pidsLimit))) throw new CtuiError(`invalid --pids-limit: ${o.pidsLimit}`);
  const restart = parseRestart(o.restart);
  if (o.rm && restart.Name !== 'no') throw new CtuiError('Conflicting options: --restart and --rm');
  const healthFlags: HealthcheckConfig = {};
  const interval = parseDuration(o.healthInterval, '--health-interval');
  const timeout = parseDuration(o.healthTimeout, '--health-timeout');
  const startPeriod = parseDuration(o.healthStartPeriod, '--health-start-period');
  if (interval !== undefined) healthFlags.Interval = interval;
  if (timeout !== undefined) healthFlags.Timeout = timeout;
  if (startPeriod !== undefined) healthFlags.StartPeriod = startPeriod;
  if (o.healthRetries !== undefined) healthFlags.Retries = o.healthRetries;
  if (o.healthCmd !== undefined) healthFlags.Test = ['CMD-SHELL', o.healthCmd];
  if (o.noHealthcheck && Object.keys(healthFlags).length > 0) throw new CtuiError('--no-healthcheck conflicts with --health-* options');
  validateHealth(healthFlags);
  const runtime = o.runtime ?? 'ctui';
  resolveRuntime(runtime, store.layout);
  const mountFlags = parseMountFlags(o);
  const labels: Record<string, string> = {};
  for (const l of o.labels ?? []) {
    const eq = l.indexOf('=');
    labels[eq < 0 ? l : l.slice(0, eq)] = eq < 0 ? '' : l.slice(eq + 1);
  }

  return store.lock.with(() => {
    let imageId: string;
    try {
      imageId = store.images.resolve(o.image);
    } catch (err) {
      // docker would pull it; ctui has no registry client yet, so say how to get one.
      if (err instanceof NotFoundError) {
        throw new NotFoundError(`${err.message} (ctui cannot pull images yet: import one, e.g. \`sh scripts/busybox-rootfs.sh b.tar && ctui import b.tar busybox\`)`, 125);
      }
      throw err;
    }
    const image = store.images.get(imageId)!;
    const ic = image.config.config ?? {};
    let entrypoint: string[];
    let cmd: string[];
    if (o.entrypoint !== undefined) {
      entrypoint = o.entrypoint === '' ? [] : [o.entrypoint];
      cmd = [...o.cmd];
    } else {
      entrypoint = [...(ic.Entrypoint ?? [])];
      cmd = o.cmd.length > 0 ? [...o.cmd] : [...(ic.Cmd ?? [])];
    }
    const args = [...entrypoint, ...cmd];
    if (args.length === 0) throw new CtuiError('No command specified');
    // Every mount is resolved (and every error found) before anything is written.
    const plan = planMounts(store, mountFlags, Object.keys(ic.Volumes ?? {}));

    const id = randomBytes(32).toString('hex');
    if (customProfile) seccomp = { Name: 'custom', Path: path.join(store.layout.containerDir(id), 'seccomp.json') };
    const name = o.name ? o.name.replace(/^\//, '') : uniqueName(store);
    const hostname = o.hostname || id.slice(0, 12);
    const record: ContainerRecord = {
      Id: id,
      Name: name,
      Created: new Date().toISOString(),
      Image: imageId,
      Path: args[0]!,
      Args: args.slice(1),
      Config: {
        Hostname: hostname,
        User: o.user ?? ic.User ?? '',
        Env: mergeEnv(ic.Env ?? [], env),
        Cmd: cmd,
        Entrypoint: entrypoint,
        WorkingDir: o.workdir ?? ic.WorkingDir ?? '',
        Tty: o.tty ?? false,
        OpenStdin: o.interactive ?? false,
        Labels: { ...(ic.Labels ?? {}), ...labels },
        Image: o.image,
        ...(o.stopSignal || ic.StopSignal ? { StopSignal: o.stopSignal || ic.StopSignal } : {}),
        ...(o.stopTimeout !== undefined ? { StopTimeout: o.stopTimeout } : {}),
        ...(plan.configVolumes ? { Volumes: plan.configVolumes } : {}),
        // docker: --health-* flags override the image's fields one by one; --no-healthcheck disables.
        ...(o.noHealthcheck
          ? { Healthcheck: { Test: ['NONE'] } }
          : ic.Healthcheck || Object.keys(healthFlags).length > 0
            ? { Healthcheck: { ...(ic.Healthcheck ?? {}), ...healthFlags } }
            : {}),
      },
      HostConfig: {
        AutoRemove: o.rm ?? false,
        Privileged: o.privileged ?? false,
        ReadonlyRootfs: o.readOnly ?? false,
        CapAdd: [...(o.capAdd ?? [])],
        CapDrop: [...(o.capDrop ?? [])],
        SecurityOpt: [...(o.securityOpt ?? [])],
        NetworkMode: network,
        Memory: memory ?? 0,
        MemorySwap: memorySwap ?? 0,
        NanoCpus: cpus ? Math.round(cpus * 1e9) : 0,
        PidsLimit: o.pidsLimit ?? 0,
        Init: o.init ?? false,
        Runtime: runtime,
        RestartPolicy: restart,
        ...plan.hostConfig,
      },
      Mounts: plan.mounts,
      Seccomp: seccomp,
    };
    store.containers.reserveName(name, id);
    let volumes: string[] = [];
    try {
      volumes = applyMountPlan(store, plan, plan.copyUp.length > 0 ? store.layers.lowerDirs(image.config.rootfs.diff_ids) : []);
      const staged = store.stagingDir('create');
      for (const d of ['upper', 'work', 'merged', 'bundle']) fs.mkdirSync(path.join(staged, d), { mode: 0o700 });
      // The upper dir is the container's /: it must be traversable by every user in the container.
      fs.chmodSync(path.join(staged, 'upper'), 0o755);
      writeJsonAtomicSync(path.join(staged, 'state.json'), initialState());
      if (customProfile) fs.writeFileSync(path.join(staged, 'seccomp.json'), customProfile, { mode: 0o600 });
      writeJsonAtomicSync(path.join(staged, 'container.json'), record);
      // --rm: a marker in tmp/ while the claim lasts, so that if we die before the start the next
      // ctui's repair sees it and removes the container (--rm holds, whoever is gone).
      const marker = o.rm && o.startsNow ? path.basename(store.stagingDir('claim')) : '';
      fs.writeFileSync(path.join(staged, 'claim'), `${process.pid} ${pidStartTime(process.pid) ?? 0} ${marker}\n`);
      fs.mkdirSync(store.layout.containersDir, { recursive: true, mode: 0o700 });
      fs.renameSync(staged, store.layout.containerDir(id));
    } catch (err) {
      rollback(store, volumes);
      store.containers.releaseName(name, id);
      throw err;
    }
    for (const n of volumes) appendEvent(store.layout, { type: 'volume', action: 'create', id: n, attributes: { driver: 'local' } });
    recordCreate(store, record);
    return id;
  });
}

function uniqueName(store: Store): string {
  for (let i = 0; i < 20; i++) {
    const n = randomName();
    if (!fs.existsSync(store.layout.nameFile(n))) return n;
  }
  return `${randomName()}_${randomBytes(2).toString('hex')}`;
}
