import type { FlagTable } from '../flags.js';

/** Flags shared by `create` and `run`, as docker spells them. */
export const CONTAINER_FLAGS: FlagTable = {
  name: { type: 'string', describe: 'Assign a name to the container' },
  interactive: { alias: 'i', type: 'boolean', describe: 'Keep STDIN open even if not attached' },
  tty: { alias: 't', type: 'boolean', describe: 'Allocate a pseudo-TTY' },
  rm: { type: 'boolean', describe: 'Automatically remove the container when it exits' },
  env: { alias: 'e', type: 'string', array: true, describe: 'Set environment variables' },
  'env-file': { type: 'string', array: true, describe: 'Read in a file of environment variables' },
  workdir: { alias: 'w', type: 'string', describe: 'Working directory inside the container' },
  user: { alias: 'u', type: 'string', describe: 'Username or UID (format: <name|uid>[:<group|gid>])' },
  entrypoint: { type: 'string', describe: 'Overwrite the default ENTRYPOINT of the image' },
  hostname: { alias: 'h', type: 'string', describe: 'Container host name' },
  init: { type: 'boolean', describe: 'Run an init inside the container that forwards signals and reaps processes' },
  privileged: { type: 'boolean', describe: 'Give extended privileges to this container' },
  'read-only': { type: 'boolean', describe: "Mount the container's root filesystem as read only" },
  'cap-add': { type: 'string', array: true, describe: 'Add Linux capabilities' },
  'cap-drop': { type: 'string', array: true, describe: 'Drop Linux capabilities' },
  'security-opt': { type: 'string', array: true, describe: 'Security Options (seccomp=docker-default|containers-common|unconfined|FILE, no-new-privileges)' },
  network: { alias: 'net', type: 'string', describe: 'Connect a container to a network (none, host)' },
  memory: { alias: 'm', type: 'string', describe: 'Memory limit' },
  'memory-swap': { type: 'string', describe: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap" },
  cpus: { type: 'string', describe: 'Number of CPUs' },
  'pids-limit': { type: 'number', describe: 'Tune container pids limit (set -1 for unlimited)' },
  runtime: { type: 'string', describe: 'Runtime to use for this container (ctui, runc, crun)' },
  label: { alias: 'l', type: 'string', array: true, describe: 'Set meta data on a container' },
  restart: { type: 'string', describe: 'Restart policy: no, on-failure[:max-retries], always, unless-stopped' },
  'stop-signal': { type: 'string', describe: 'Signal to stop the container' },
  'stop-timeout': { type: 'number', describe: 'Timeout (in seconds) to stop a container' },
  'health-cmd': { type: 'string', describe: 'Command to run to check health' },
  'health-interval': { type: 'string', describe: 'Time between running the check (ms|s|m|h)' },
  'health-timeout': { type: 'string', describe: 'Maximum time to allow one check to run (ms|s|m|h)' },
  'health-start-period': { type: 'string', describe: 'Start period for the container to initialize before failures count (ms|s|m|h)' },
  'health-retries': { type: 'number', describe: 'Consecutive failures needed to report unhealthy' },
  'no-healthcheck': { type: 'boolean', describe: 'Disable any container-specified HEALTHCHECK' },
  volume: { alias: 'v', type: 'string', array: true, describe: 'Bind mount a volume (NAME:/path, /host/path:/path, /path)[:ro|rw|z|Z|nocopy|propagation]' },
  mount: { type: 'string', array: true, describe: 'Attach a filesystem mount (type=volume|bind|tmpfs,src=...,dst=...,readonly,...)' },
  tmpfs: { type: 'string', array: true, describe: 'Mount a tmpfs directory (/path[:options])' },
  'volumes-from': { type: 'string', array: true, describe: 'Mount volumes from the specified container(s) (CONTAINER[:ro|rw])' },
};

/** Flags only `run` has. */
export const RUN_FLAGS: FlagTable = {
  ...CONTAINER_FLAGS,
  detach: { alias: 'd', type: 'boolean', describe: 'Run container in background and print container ID' },
  'detach-keys': { type: 'string', describe: 'Override the key sequence for detaching a container' },
  'sig-proxy': { type: 'boolean', default: true, describe: 'Proxy received signals to the process' },
};
