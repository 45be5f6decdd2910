/* initproc.c - the container init, step by step. Runs as pid 1 of the container's pid
 * namespace (when it has one), as root with full caps until caps_apply_and_setuser.
 * Errors are sent to the parent as one line over the sync socket (g_die_hook). */
#include "initproc.h"
#include "caps.h"
#include "exec.h"
#include "hooks.h"
#include "mounts.h"
#include "nsexec.h"
#include "pty.h"
#include "seccomp.h"
#include "userdb.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <unistd.h>

/* Only sysctls the kernel namespaces may be set (runc's list): anything else would
 * change the HOST's kernel settings from inside a container config. */
static void check_sysctl(const struct config *c, const char *key)
{
    static const char *const ipc_keys[] = { "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
        "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced" };
    if (strstr(key, "..") || strchr(key, '/') == key)
        die_msg("sysctl", "invalid key %s", key);
    for (size_t i = 0; i < sizeof(ipc_keys) / sizeof(ipc_keys[0]); i++)
        if (!strcmp(key, ipc_keys[i]) && config_ns(c, CLONE_NEWIPC))
            return;
    if (!strncmp(key, "fs.mqueue.", 10) && config_ns(c, CLONE_NEWIPC))
        return;
    if (!strncmp(key, "net.", 4) && config_ns(c, CLONE_NEWNET))
        return;
    if ((!strcmp(key, "kernel.hostname") || !strcmp(key, "kernel.domainname")) && config_ns(c, CLONE_NEWUTS))
        return;
    die_msg("sysctl", "%s is not namespaced (or its namespace is not private) and cannot be set", key);
}

static void apply_sysctls(const struct config *c)
{
    for (size_t i = 0; i < c->n_sysctls; i++) {
        const char *key = c->sysctls[i].key;
        check_sysctl(c, key);
        char path[512];
        int n = snprintf(path, sizeof(path), "/proc/sys/%s", key);
        for (char *p = path + 10; p < path + n; p++)
            if (*p == '.')
                *p = '/';
        if (write_file(path, c->sysctls[i].value) < 0)
            die_errno("sysctl", "write %s", key);
    }
}

static void apply_rlimits(const struct config *c)
{
    for (size_t i = 0; i < c->n_rlimits; i++) {
        const struct rlimit_cfg *r = &c->rlimits[i];
        struct rlimit rl = { .rlim_cur = r->soft, .rlim_max = r->hard };
        if (setrlimit(r->resource, &rl) < 0) {
            if (errno == EPERM)
                die_errno("rlimits", "set %s soft=%llu hard=%llu (raising a hard limit needs CAP_SYS_RESOURCE, which this runtime lacks)",
                          r->name, (unsigned long long)r->soft, (unsigned long long)r->hard);
            die_errno("rlimits", "set %s", r->name);
        }
    }
}

static void apply_oom_score_adj(const struct config *c)
{
    if (!c->has_oom_score_adj)
        return;
    char v[16];
    snprintf(v, sizeof(v), "%d", c->oom_score_adj);
    if (write_file("/proc/self/oom_score_adj", v) < 0)
        die_errno("oom_score_adj", "set %d%s", c->oom_score_adj,
                  errno == EACCES ? " (lowering it needs CAP_SYS_RESOURCE)" : "");
}

static void set_names(const struct config *c)
{
    if ((c->hostname && *c->hostname) || (c->domainname && *c->domainname)) {
        /* Without a private UTS ns this would rename the host (runc refuses too). */
        if (!config_ns(c, CLONE_NEWUTS))
            die_msg("hostname", "unable to set hostname without a private UTS namespace");
    }
    if (c->hostname && *c->hostname && sethostname(c->hostname, strlen(c->hostname)) < 0)
        die_errno("hostname", "sethostname %s", c->hostname);
    if (c->domainname && *c->domainname && setdomainname(c->domainname, strlen(c->domainname)) < 0)
        die_errno("hostname", "setdomainname %s", c->domainname);
}

/* The init's own hooks (createContainer, startContainer): a failure ends the init with it. */
static void run_init_hooks(const struct init_args *a, enum hook_kind k, const char *status)
{
    const struct config *c = a->c;
    if (!hooks_have(c->hooks, k))
        return;
    char *st = hooks_state_json(a->id, status, ns_init_host_pid(), c->bundle, c->annotations);
    char err[1024];
    if (hooks_run(c->hooks, k, st, false, err, sizeof(err)) < 0)
        die_msg("hooks", "%s", err);
    free(st);
}

/* The create-time hooks, with the mounts in place and before pivot_root (where runc runs
 * them): prestart and createRuntime belong to the runtime namespace, so the parent runs
 * them while we wait here; createContainer runs here, in the container's namespaces. A
 * failure of any of them fails the create (the parent kills us and cleans up). */
static void run_create_hooks(const struct init_args *a, int syncfd)
{
    const struct config *c = a->c;
    if (hooks_have(c->hooks, HOOK_PRESTART) || hooks_have(c->hooks, HOOK_CREATE_RUNTIME)) {
        struct sync_msg m;
        if (sync_send(syncfd, SYNC_HOOKS, 0, NULL) < 0 || sync_recv(syncfd, &m) != 1 || m.type != SYNC_HOOKS_DONE)
            _exit(EXIT_RUN_FAIL); /* the parent reports the hook's failure */
    }
    /* "created", as prestart/createRuntime (see run_create_hooks in container.c) */
    run_init_hooks(a, HOOK_CREATE_CONTAINER, "created");
}

/* startContainer: after `start` released us, before execve, in the container (after
 * pivot_root, caps dropped, under the seccomp filter), as runc. A failure ends the init
 * before the program runs; `start` then reports that the init exited. */
static void run_start_hooks(const struct init_args *a)
{
    run_init_hooks(a, HOOK_START_CONTAINER, "created");
}

/* No mount namespace in the config: the container shares the host's mount table, so it
 * gets no mounts (config_load refused them) and no pivot_root (that would move the root
 * of every host process in this namespace): a chroot into its rootfs, as runc does. A
 * chroot is no boundary against a process holding CAP_SYS_CHROOT; a container without a
 * mount namespace is as isolated as its config asked for, no more. */
static void enter_chroot(const struct config *c)
{
    if (chdir(c->rootfs) < 0 || chroot(".") < 0 || chdir("/") < 0)
        die_errno("rootfs", "chroot into %s (no mount namespace)", c->rootfs);
}

/* Block until `start` (create) or the parent's GO (run). */
static void wait_for_start(const struct init_args *a, int procfd)
{
    if (a->fifo_fd < 0) {
        run_start_hooks(a);
        return; /* run: GO already received in await_parent_ack */
    }
    /* Opening the fifo for writing blocks until `start` opens it for reading. We hold
     * the fifo ITSELF as an O_PATH fd (taken by the parent before fork), never its
     * host directory: an O_PATH directory fd is a way out of the container for anything
     * that can use it as a cwd or a *at() base (CVE-2024-21626). An O_PATH fd cannot be
     * written, so it is reopened through /proc/self/fd/N, as runc does; /proc must be
     * the container's real procfs and the reopened file must be the very inode we hold,
     * so a hostile image cannot redirect the write. */
    struct stat want, got;
    struct statfs sf;
    /* PROCFD: a container without a mount ns has no /proc of its own in its chroot; the
     * init opened the (host's) procfs before entering it. */
    int proc = procfd >= 0 ? procfd : open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (proc < 0 || fstatfs(proc, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)
        die_msg("start", "reopen exec fifo: /proc in the container is not procfs");
    if (fstat(a->fifo_fd, &want) < 0)
        die_errno("start", "stat exec fifo");
    char p[48];
    snprintf(p, sizeof(p), "self/fd/%d", a->fifo_fd);
    int fd;
    do
        fd = openat(proc, p, O_WRONLY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        die_errno("start", "open exec fifo");
    if (fstat(fd, &got) < 0 || got.st_dev != want.st_dev || got.st_ino != want.st_ino)
        die_msg("start", "reopened exec fifo is not the fifo we hold");
    close(proc);
    /* `start` holds the fifo open and waits for our byte: the hooks run before it, so a
     * failing startContainer hook makes `start` fail (the init is gone, no byte came). */
    run_start_hooks(a);
    if (write_all(fd, "0", 1) < 0)
        die_errno("start", "write exec fifo");
    close(fd);
    close(a->fifo_fd);
}

/* After READY: the parent acknowledges (create: state.json is final; run: GO). Until
 * then the init dies with its parent (PR_SET_PDEATHSIG): a create/run killed during
 * setup must not leave an orphan init behind. EOF = the parent is gone. */
static void await_parent_ack(int syncfd, bool create_mode)
{
    struct sync_msg m;
    if (sync_recv(syncfd, &m) != 1 || m.type != (create_mode ? SYNC_ACK : SYNC_GO))
        _exit(EXIT_RUN_FAIL);
    /* From here the container outlives its creator (the caller's subreaper owns it).
     * create waits for our answer before exiting: its exit must not race the prctl. */
    prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
    if (create_mode)
        sync_send(syncfd, SYNC_ACK, 0, NULL);
}

void container_init(int syncfd, void *arg)
{
    const struct init_args *a = arg;
    const struct config *c = a->c;
    sync_report_errors_to(syncfd);
    /* Die with the create/run process until READY is acknowledged (see
     * await_parent_ack). If it died before the prctl, the parent-pid check catches it
     * (outside a new pid ns; inside one getppid() is 0 either way, and a dead parent
     * shows as EOF on the sync socket before any setup happens). */
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    pid_t pp = getppid();
    if (pp != 0 && pp != a->parent)
        _exit(EXIT_RUN_FAIL);
    /* Close everything inherited from the caller that the init does not need, before
     * touching the container: only stdio, the sync socket, the console socket and the
     * exec fifo survive. Fewer host fds = nothing to leak into the container. */
    {
        int keep[] = { syncfd, a->console_sock, a->fifo_fd };
        close_fds_except(keep, 3);
    }
    /* Non-dumpable until execve: container processes (e.g. a racing `exec`) cannot
     * ptrace us or open /proc/1/{fd,exe,mem} while we still hold host fds/caps. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    reset_signals();
    umask(0); /* modes from the config (devices, dirs) are applied verbatim */

    ns_init_enter(c, syncfd);
    void *filter = a->seccomp;
    set_names(c);

    int slave = -1, procfd = -1;
    if (config_ns(c, CLONE_NEWNS)) {
        int rootfd = mounts_prepare_rootfs(c);
        run_create_hooks(a, syncfd);
        mounts_pivot_root(rootfd);
        if (c->terminal) {
            slave = pty_create_and_send(a->console_sock, c->console_rows, c->console_cols);
            close(a->console_sock);
            mounts_bind_console(slave);
        }
        apply_sysctls(c);        /* before /proc/sys goes read-only */
        mounts_finalize(c);      /* readonlyPaths, maskedPaths, read-only root */
    } else {
        run_create_hooks(a, syncfd);
        apply_sysctls(c);        /* no /proc in the chroot */
        procfd = open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        enter_chroot(c);
    }
    if (slave >= 0)
        pty_become_controlling(slave);

    apply_rlimits(c);
    apply_oom_score_adj(c);
    /* -u by name: resolved now, from the container's own /etc files (see userdb.c). The
     * config belongs to this forked init alone, so updating it in place is safe. The
     * seccomp filter goes in inside exec_final_setup (after the cwd, see there). */
    char **envp;
    char *path = exec_final_setup((struct config *)c, config_annotation(c, ANN_USER), filter,
                                  "unable to start container process", &envp);

    sync_send(syncfd, SYNC_READY, 0, NULL);
    bool create_mode = a->fifo_fd >= 0;
    await_parent_ack(syncfd, create_mode);
    wait_for_start(a, procfd);
    if (create_mode)
        sync_report_errors_to(-1); /* `create` has exited: exec errors go to the container's stderr */
    umask(c->has_umask ? c->umask : 022);
    exec_cloexec_fds();
    execve(path, (char *const *)c->args, envp);
    int e = errno;
    char line[1300];
    snprintf(line, sizeof(line), "ctui-runtime: unable to start container process: exec: \"%s\": %s",
             c->args[0], strerror(e));
    /* In `run` the sync socket is still open (CLOEXEC only fires on success). */
    die_line(e == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC, line);
}
