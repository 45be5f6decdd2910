/* container.c - create/run/start/state/kill/delete. */
#include "container.h"
#include "cgroups.h"
#include "config.h"
#include "hooks.h"
#include "initproc.h"
#include "nsexec.h"
#include "pty.h"
#include "seccomp.h"
#include "signals.h"
#include "state.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- undo a half-done create (atexit in the parent only; the init uses _exit) ---- */
static struct {
    bool armed;
    char *dir, *cgpath;
    unsigned cg_owned;   /* filled in by cgroups_create as it goes */
    bool own_pidns;
    pid_t pid;
    const struct config *c; /* for the poststop hooks */
    const char *id;
    pid_t pid_seen;         /* the init's pid, kept for the poststop state */
} pending;

/* poststart / poststop: a failure is a warning, the lifecycle goes on (runtime-spec). */
static void run_post_hooks(json_t *hooks, enum hook_kind k, const char *id, const char *status, pid_t pid,
                           const char *bundle, json_t *annotations)
{
    if (!hooks_have(hooks, k))
        return;
    char *st = hooks_state_json(id, status, pid, bundle, annotations);
    char err[1024];
    hooks_run(hooks, k, st, true, err, sizeof(err));
    free(st);
}

static void undo_create(void)
{
    if (!pending.armed)
        return;
    pending.armed = false;
    if (pending.pid > 0) {
        kill(pending.pid, SIGKILL);
        waitpid(pending.pid, NULL, 0);
    }
    if (pending.cgpath)
        cgroups_destroy(pending.cgpath, pending.cg_owned, !pending.own_pidns);
    if (pending.dir)
        state_remove(pending.dir);
    /* A failed create and the end of `run` are a delete: poststop runs (as runc's destroy). */
    if (pending.c)
        run_post_hooks(pending.c->hooks, HOOK_POSTSTOP, pending.id, "stopped", pending.pid_seen,
                       pending.c->bundle, pending.c->annotations);
}

static void write_pid_file(const char *path, pid_t pid)
{
    char buf[24];
    int n = snprintf(buf, sizeof(buf), "%d", pid);
    if (write_file_atomic(path, buf, n, 0644) < 0)
        die_errno("pid-file", "write %s", path);
}

/* Signals that end a create/run during setup (their default action is to terminate;
 * blocked for the signalfd, so they would otherwise be ignored until READY). */
static bool is_terminating(int sig)
{
    return sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT || sig == SIGUSR1 || sig == SIGUSR2;
}

/* prestart, then createRuntime: in the runtime namespace (ours), while the init waits with
 * its mounts done and before pivot_root. A failure fails the create: die -> undo_create
 * kills the init, removes cgroups and state and runs poststop. Their state says "created":
 * the runtime-spec's lifecycle has the environment created in step 2, and "creating" is
 * step 2 only; these hooks are steps 3-5 (runc passes "creating"; the runtime-tools suite
 * expects "created"). */
static void run_create_hooks(const struct config *c, const char *id, pid_t pid)
{
    char *st = hooks_state_json(id, "created", pid, c->bundle, c->annotations);
    char err[1024];
    if (hooks_run(c->hooks, HOOK_PRESTART, st, false, err, sizeof(err)) < 0 ||
        hooks_run(c->hooks, HOOK_CREATE_RUNTIME, st, false, err, sizeof(err)) < 0)
        die_msg("hooks", "%s", err);
    free(st);
}

/* Wait for the init to report READY; relays its error line and code otherwise. The
 * signalfd is polled too: a SIGTERM/SIGINT during setup kills the half-built container,
 * cleans up (undo_create, atexit) and exits 128+sig, instead of hanging on or leaking. */
static void await_ready(const struct config *c, const char *id, int syncfd, int sigfd, pid_t pid, bool run)
{
    struct sync_msg m;
    int r;
    for (;;) {
        struct pollfd p[2] = { { .fd = syncfd, .events = POLLIN }, { .fd = sigfd, .events = POLLIN } };
        if (poll(p, sigfd >= 0 ? 2 : 1, -1) < 0) {
            if (errno == EINTR)
                continue;
            die_errno("create", "poll");
        }
        if (sigfd >= 0 && (p[1].revents & POLLIN)) {
            struct signalfd_siginfo si;
            if (read(sigfd, &si, sizeof(si)) == sizeof(si) && is_terminating((int)si.ssi_signo)) {
                int sig = (int)si.ssi_signo;
                pty_restore_tty();
                exit(128 + sig); /* undo_create (atexit): SIGKILL the init, cgroups, state dir */
            }
        }
        if (p[0].revents) {
            r = sync_recv(syncfd, &m);
            if (r == 1 && m.type == SYNC_HOOKS) {
                run_create_hooks(c, id, pid);
                sync_send(syncfd, SYNC_HOOKS_DONE, 0, NULL);
                continue;
            }
            break;
        }
    }
    if (r == 1 && m.type == SYNC_READY)
        return;
    if (r == 1 && m.type == SYNC_ERROR) {
        int code = run ? m.code : 1;
        waitpid(pid, NULL, 0);
        pending.pid = 0;
        die_line(code ? code : g_fail_code, m.text);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    pending.pid = 0;
    die_msg("create", "container init exited unexpectedly (status %d)", st);
}

/* runc refuses sysctls in the host's network namespace: a config that joins a netns by
 * path must not point at ours and then write net.* there. Checked here, in the parent,
 * because only we still live in the host namespace (the init has joined the target). */
static void check_netns_sysctls(const struct config *c)
{
    const struct ns_cfg *n = config_ns(c, CLONE_NEWNET);
    if (!n || !n->path)
        return;
    bool net = false;
    for (size_t i = 0; i < c->n_sysctls; i++)
        if (!strncmp(c->sysctls[i].key, "net.", 4))
            net = true;
    if (!net)
        return;
    struct stat a, b;
    if (stat(n->path, &a) < 0)
        die_errno("sysctl", "stat network namespace %s", n->path);
    if (stat("/proc/self/ns/net", &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        die_msg("sysctl", "net.* sysctls cannot be set in the host's network namespace (%s)", n->path);
}

static void save_state(const struct create_opts *o, const struct config *c, const char *bundle, pid_t pid,
                       bool creating)
{
    char *created = now_rfc3339();
    struct state st = { .id = (char *)o->id, .bundle = (char *)bundle, .created = created,
                        .cgroups_path = (char *)c->cgroups_path, .pid = pid,
                        .start_time = proc_start_time(pid, NULL), .annotations = c->annotations,
                        .hooks = c->hooks,
                        .dir = pending.dir, .cgroups_owned = pending.cg_owned,
                        .own_pidns = pending.own_pidns, .creating = creating };
    state_save(&st);
    free(created);
}

int cmd_create_or_run(const struct create_opts *o)
{
    state_check_id(o->id);
    char *bundle = realpath(o->bundle ? o->bundle : ".", NULL);
    if (!bundle)
        die_errno("create", "bundle %s", o->bundle ? o->bundle : ".");
    struct config *c = config_load(bundle, o->id);
    check_netns_sysctls(c);

    void *seccomp = seccomp_build(c, o->root); /* validate/compile before touching the host */
    /* Signals: blocked from here, read from a signalfd (await_ready acts on them during
     * setup; `run` forwards them to the container afterwards). */
    int sigfd = forwarded_signals(&(sigset_t){0}, o->run);
    state_create_dir(o->root, o->id);
    pending.dir = state_dir(o->root, o->id);
    pending.own_pidns = config_has_new_ns(c, CLONE_NEWPID);
    pending.c = c;
    pending.id = o->id;
    pending.armed = true;
    atexit(undo_create);

    struct init_args ia = { .c = c, .id = o->id, .console_sock = -1, .fifo_fd = -1, .seccomp = seccomp, .parent = getpid() };
    int console_peer = -1;
    if (c->terminal) {
        if (o->console_socket) {
            ia.console_sock = pty_connect_console_socket(o->console_socket);
        } else if (o->run) {
            int sv[2];
            if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
                die_errno("console", "socketpair");
            ia.console_sock = sv[1];
            console_peer = sv[0];
        } else {
            die_msg("create", "process.terminal is true but no --console-socket was given");
        }
    }
    if (!o->run) {
        char *fifo = xasprintf("%s/exec.fifo", pending.dir);
        if (mkfifo(fifo, 0600) < 0)
            die_errno("create", "mkfifo %s", fifo);
        /* In a user namespace the init reopens it as the container's root, i.e. the host
         * ids the maps give 0 (runc chowns its fifo the same way); mode 0600 still keeps
         * everyone else out. */
        if (config_has_new_ns(c, CLONE_NEWUSER)) {
            uid_t u = (uid_t)-1;
            gid_t g = (gid_t)-1;
            for (size_t i = 0; i < c->n_uid_maps; i++)
                if (c->uid_maps[i].inside == 0)
                    u = c->uid_maps[i].outside;
            for (size_t i = 0; i < c->n_gid_maps; i++)
                if (c->gid_maps[i].inside == 0)
                    g = c->gid_maps[i].outside;
            if (chown(fifo, u, g) < 0)
                die_errno("create", "chown %s to the container's root", fifo);
        }
        /* The fifo itself, O_PATH (never its directory: see initproc.c wait_for_start). */
        ia.fifo_fd = open(fifo, O_PATH | O_CLOEXEC);
        if (ia.fifo_fd < 0)
            die_errno("create", "open %s", fifo);
        free(fifo);
    }

    pending.cgpath = (char *)c->cgroups_path;
    cgroups_create(c, &pending.cg_owned);

    int syncfd;
    pid_t pid = ns_spawn_init(c, &syncfd, container_init, &ia);
    pending.pid = pid;
    pending.pid_seen = pid;
    /* Provisional state right away: if we are killed (even SIGKILL) from here on,
     * `delete -f ID` still finds the init (pid + start time) and our cgroups. */
    save_state(o, c, bundle, pid, true);
    if (ia.console_sock >= 0)
        close(ia.console_sock);
    if (ia.fifo_fd >= 0)
        close(ia.fifo_fd);
    pid_t init = ns_parent_setup(c, pid, syncfd);
    if (init != pid) { /* user + pid ns: pid 1 was forked by the first stage, now reaped */
        pid = init;
        pending.pid = pending.pid_seen = pid;
        save_state(o, c, bundle, pid, true);
    }
    await_ready(c, o->id, syncfd, sigfd, pid, o->run);

    save_state(o, c, bundle, pid, false);
    if (o->pid_file)
        write_pid_file(o->pid_file, pid);

    if (!o->run) {
        /* The state is final: let the init stop dying with us (PDEATHSIG) and wait for
         * `start`. If we are killed before this, the init dies and delete cleans up. */
        struct sync_msg ack;
        if (sync_send(syncfd, SYNC_ACK, 0, NULL) < 0 || sync_recv(syncfd, &ack) != 1 || ack.type != SYNC_ACK)
            die_msg("create", "container init exited unexpectedly");
        pending.armed = false; /* the init now belongs to the caller (its subreaper) */
        return 0;
    }

    int master = -1;
    if (console_peer >= 0) {
        master = pty_recv_master(console_peer);
        close(console_peer);
        pty_sync_winsize(master); /* before exec: the program sees the right size */
        pty_raw_mode();
    }
    sync_send(syncfd, SYNC_GO, 0, NULL);
    pending.pid = 0; /* from now on the container's exit status is what we report */
    struct sync_msg m;
    if (sync_recv(syncfd, &m) == 1 && m.type == SYNC_ERROR) {
        pty_restore_tty();
        die_line(m.code, m.text); /* exec failed; undo_create reaps + cleans */
    }
    close(syncfd);
    run_post_hooks(c->hooks, HOOK_POSTSTART, o->id, "running", pid, c->bundle, c->annotations);
    int status = master >= 0 ? pty_proxy_wait(master, pid, sigfd) : signal_wait(pid, sigfd);
    pty_restore_tty();
    pending.pid = 0;
    undo_create(); /* cgroups + state dir */
    return exit_code_of(status);
}

static struct state *must_load(const char *root, const char *id)
{
    struct state *st = state_load(root, id);
    if (!st)
        die_msg("state", "container %s does not exist", id);
    return st;
}

int cmd_start(const char *root, const char *id)
{
    struct state *st = must_load(root, id);
    enum status s = state_status(st);
    if (s != ST_CREATED)
        die_msg("start", "cannot start a container that is %s", status_name(s));
    char *fifo = xasprintf("%s/exec.fifo", st->dir);
    /* Non-blocking open of the read end succeeds at once and releases the init's
     * blocking open for writing; we then wait for its byte, checking it is alive. */
    int fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        die_errno("start", "open %s", fifo);
    for (;;) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int r = poll(&p, 1, 100);
        if (r > 0 && (p.revents & POLLIN)) {
            char b;
            if (read(fd, &b, 1) == 1)
                break;
        }
        if (r < 0 && errno != EINTR)
            die_errno("start", "poll exec fifo");
        if (state_status(st) == ST_STOPPED)
            die_msg("start", "container init exited before start");
    }
    close(fd);
    unlink(fifo); /* no fifo = running */
    free(fifo);
    /* After the program was released and before start returns (runtime-spec). */
    run_post_hooks(st->hooks, HOOK_POSTSTART, st->id, "running", st->pid, st->bundle, st->annotations);
    return 0;
}

int cmd_state(const char *root, const char *id)
{
    struct state *st = must_load(root, id);
    enum status s = state_status(st);
    json_t *o = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "ociVersion", "1.0.2", "id", st->id,
                          "pid", (json_int_t)(s == ST_STOPPED ? 0 : st->pid), "status", status_name(s),
                          "bundle", st->bundle, "created", st->created, "owner", "");
    if (st->annotations)
        json_object_set(o, "annotations", st->annotations);
    char *txt = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!txt)
        die_msg("state", "cannot encode state");
    printf("%s\n", txt);
    free(txt);
    json_decref(o);
    return 0;
}

/* Signal the init through a pidfd taken after re-checking its start time: the pid
 * cannot be recycled for an unrelated host process between check and kill. */
static int signal_init(const struct state *st, int sig)
{
    int pfd = (int)syscall(SYS_pidfd_open, st->pid, 0);
    if (pfd >= 0) {
        if (proc_start_time(st->pid, NULL) != st->start_time) {
            close(pfd);
            errno = ESRCH;
            return -1;
        }
        int r = (int)syscall(SYS_pidfd_send_signal, pfd, sig, NULL, 0);
        int e = errno;
        close(pfd);
        errno = e;
        return r;
    }
    return kill(st->pid, sig);
}

int cmd_kill(const char *root, const char *id, const char *sigs, bool all)
{
    struct state *st = must_load(root, id);
    int sig = parse_signal(sigs);
    if (sig < 0)
        die_msg("kill", "invalid signal %s", sigs);
    if (state_status(st) == ST_STOPPED)
        die_msg("kill", "container %s is not running", id);
    /* --all: every process of the container's cgroup - only a cgroup it created, and
     * for a SIGKILL with its own pid ns killing pid 1 is enough (and exact). */
    if (all && !(sig == SIGKILL && st->own_pidns))
        cgroups_signal_all(st->cgroups_path, st->cgroups_owned, sig);
    if (signal_init(st, sig) < 0 && !(all && errno == ESRCH))
        die_errno("kill", "signal %d to container %s", sig, id);
    /* A frozen task only acts on SIGKILL once thawed (cgroup v1): KILL of a paused
     * container thaws it so it really dies (docker kill/stop of a paused container). */
    if (sig == SIGKILL && state_status(st) == ST_PAUSED)
        cgroups_freeze(st->cgroups_path, false);
    return 0;
}

int cmd_delete(const char *root, const char *id, bool force)
{
    struct state *st = state_load(root, id);
    if (!st)
        die_msg("delete", "container %s does not exist", id);
    enum status s = state_status(st);
    /* runtime-spec: deleting a container that is not stopped MUST fail and leave it be;
     * that includes `created` (runc deletes those; every caller of ours passes --force). */
    if (s != ST_STOPPED && !force)
        die_msg("delete", "cannot delete container %s that is not stopped: %s", id, status_name(s));
    if (s != ST_STOPPED) { /* forced */
        /* Own pid ns: SIGKILL of its pid 1 ends every process in it (runc does the
         * same); else the container's own cgroup, never one it did not create. */
        if (!st->own_pidns)
            cgroups_signal_all(st->cgroups_path, st->cgroups_owned, SIGKILL);
        signal_init(st, SIGKILL);
        if (s == ST_PAUSED || cgroups_frozen(st->cgroups_path))
            cgroups_freeze(st->cgroups_path, false); /* frozen tasks die only once thawed */
        for (int i = 0; i < 200 && state_status(st) != ST_STOPPED; i++)
            nanosleep(&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
        if (state_status(st) != ST_STOPPED)
            die_msg("delete", "container %s did not die after SIGKILL", id);
    }
    cgroups_destroy(st->cgroups_path, st->cgroups_owned, !st->own_pidns);
    state_remove(st->dir);
    /* After the container is deleted, before delete returns (runtime-spec). */
    run_post_hooks(st->hooks, HOOK_POSTSTOP, st->id, "stopped", st->pid, st->bundle, st->annotations);
    return 0;
}

int cmd_pause_resume(const char *root, const char *id, bool pause)
{
    const char *verb = pause ? "pause" : "resume";
    struct state *st = must_load(root, id);
    enum status s = state_status(st);
    if (s == ST_STOPPED || s == ST_CREATED || s == ST_CREATING)
        die_msg(verb, "container not running");
    if (pause && s == ST_PAUSED)
        die_msg(verb, "container already paused");
    if (!pause && s != ST_PAUSED)
        die_msg(verb, "container not paused");
    cgroups_freeze(st->cgroups_path, pause);
    return 0;
}
