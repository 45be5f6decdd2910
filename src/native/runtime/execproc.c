/* execproc.c - `ctui-runtime exec`: run a new process inside a running container.
 *
 * Three processes, as runc's exec (libcontainer/nsexec.c's stages) and crun's
 * libcrun_container_exec, plain C and single-threaded:
 *
 *   host side ("P")          joiner ("A", host pid ns)       program ("B")
 *   load state, pidfd of
 *   the init, verify its
 *   start time (no reuse)
 *   fork ------------------> non-dumpable, fds closed,
 *   write A's pid to the     wait for SETUP_DONE
 *   container's cgroup.procs
 *   (host cgroupfs) ---SETUP_DONE-->
 *                            setns(pidfd, ipc|uts|net|cgroup
 *                            |mnt|pid): cgroup ns only now
 *                            that A is in the cgroups; mnt
 *                            puts A at the container's root;
 *                            pid only affects A's children
 *                            clone(CLONE_PARENT) ------------> born in every namespace of
 *   <---SYNC_PID (B's pid)-- exits                            the container and its cgroups,
 *   reap A                                                    already at its root
 *                                                             pty from the container's devpts
 *                                                             rlimits, user, cwd, seccomp (no
 *                                                             NNP), caps, NNP, seccomp (NNP),
 *   EOF on the sync socket = exec'd <------------------------ execve (the sync socket closes)
 *   proxy the pty / forward signals, wait for B (our child: CLONE_PARENT)
 *
 * Why not one fork after setns(CLONE_NEWPID) in P: the child would be visible in the container's
 * pid namespace while its root and mounts were still the host's, until it joined the mount ns.
 * Any process of the container could SIGSTOP it there (CAP_KILL is a default cap) and, with
 * CAP_SYS_PTRACE, open /proc/<it>/root/ - the host's / - to read and write host files; even without,
 * a symlink /etc/passwd -> /proc/<it>/root/etc/passwd made -u resolve against the host's passwd.
 * B is never in the container's pid namespace without the container's mount namespace.
 *
 * Errors of A and B travel back as one line over the sync socket (g_die_hook), as in the init. */
#include "execproc.h"
#include "caps.h"
#include "cgroups.h"
#include "config.h"
#include "exec.h"
#include "nsexec.h"
#include "pty.h"
#include "seccomp.h"
#include "signals.h"
#include "state.h"
#include "userdb.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define STAGE "exec"

/* The namespaces an exec joins: every one of the init's that differs from ours (time ns is
 * never created). The user ns first: an exec must be as confined as the init - joining the
 * others without the container's user ns would run the program as the HOST's root inside
 * them. setns(pidfd) joins the user ns first by itself; the fd fallback goes in this order. */
static const struct { int flag; const char *name; } ns_kinds[] = {
    { CLONE_NEWUSER, "user" }, { CLONE_NEWIPC, "ipc" }, { CLONE_NEWUTS, "uts" }, { CLONE_NEWNET, "net" },
    { CLONE_NEWCGROUP, "cgroup" }, { CLONE_NEWNS, "mnt" }, { CLONE_NEWPID, "pid" },
};
#define N_NS (sizeof(ns_kinds) / sizeof(ns_kinds[0]))

struct join {
    int pidfd;          /* pins the init: setns through it can never hit a recycled pid */
    int flags;          /* CLONE_NEW* of the namespaces to join */
    int fds[N_NS];      /* fallback (kernels without setns(pidfd)): /proc/PID/ns/X fds */
    bool use_fds;
};

struct exec_child {
    struct config *c;
    const char *user;   /* docker -u spec to resolve in the container, or NULL */
    struct join *j;
    int console_sock;   /* -1 unless terminal */
    bool wait_go;       /* terminal proxied by us: wait until the window size is set */
    void *seccomp;
};

static void die_code(int code, const char *fmt, const char *id)
{
    char line[1400];
    snprintf(line, sizeof(line), fmt, id);
    die_line(code, line);
}

static bool same_ns(const struct state *st, const char *name)
{
    char p[64];
    struct stat a, b;
    snprintf(p, sizeof(p), "/proc/%d/ns/%s", st->pid, name);
    if (stat(p, &a) < 0) {
        if (errno == ENOENT || errno == ESRCH) /* it exited just now */
            die_code(126, "ctui-runtime: exec: container %s is not running", st->id);
        die_errno(STAGE, "stat %s", p);
    }
    snprintf(p, sizeof(p), "/proc/self/ns/%s", name);
    if (stat(p, &b) < 0)
        return false;
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Host side: pin the init and decide what to join. The start time recorded at create
 * is re-checked AFTER the pidfd/ns fds are open: from then on they cannot refer to a
 * different process even if the pid number is recycled. */
static void open_init(const struct state *st, struct join *j)
{
    memset(j, 0, sizeof(*j));
    for (size_t i = 0; i < N_NS; i++)
        j->fds[i] = -1;
    j->pidfd = (int)syscall(SYS_pidfd_open, st->pid, 0);
    if (j->pidfd < 0 && errno == ESRCH)
        die_code(126, "ctui-runtime: exec: container %s is not running", st->id);
    if (j->pidfd < 0 && errno != ENOSYS)
        die_errno(STAGE, "pidfd_open of the container init %d", st->pid);
    for (size_t i = 0; i < N_NS; i++)
        if (!same_ns(st, ns_kinds[i].name))
            j->flags |= ns_kinds[i].flag;
    /* A container without a mount namespace of its own lives in a chroot (initproc.c):
     * joining "its" mount namespace would leave the process at the host's root. */
    if (!(j->flags & CLONE_NEWNS))
        die_code(125, "ctui-runtime: exec: container %s has no mount namespace of its own: exec into it is not supported", st->id);
    if (j->pidfd < 0) {
        j->use_fds = true;
        for (size_t i = 0; i < N_NS; i++) {
            if (!(j->flags & ns_kinds[i].flag))
                continue;
            char p[64];
            snprintf(p, sizeof(p), "/proc/%d/ns/%s", st->pid, ns_kinds[i].name);
            j->fds[i] = open(p, O_RDONLY | O_CLOEXEC);
            if (j->fds[i] < 0)
                die_errno(STAGE, "open %s", p);
        }
    }
    if (proc_start_time(st->pid, NULL) != st->start_time)
        die_code(126, "ctui-runtime: exec: container %s is not running", st->id);
}

/* setns of the given kinds; via the pidfd (one atomic call) or the fds. */
static void join_ns(struct join *j, int flags)
{
    if (!flags)
        return;
    if (!j->use_fds) {
        if (setns(j->pidfd, flags) == 0)
            return;
        if (errno != EINVAL)
            die_errno("namespaces", "join the container's namespaces");
        die_errno("namespaces", "setns(pidfd) (kernel older than 5.8?)");
    }
    /* Mount ns last: it changes our root, and cgroup ns only after the cgroups join
     * (guaranteed by the caller: the parent moved us before SETUP_DONE). */
    for (size_t i = 0; i < N_NS; i++) {
        if (!(flags & ns_kinds[i].flag) || j->fds[i] < 0)
            continue;
        if (setns(j->fds[i], ns_kinds[i].flag) < 0)
            die_errno("namespaces", "join %s namespace", ns_kinds[i].name);
        close(j->fds[i]);
        j->fds[i] = -1;
    }
}

static void apply_rlimits(const struct config *c)
{
    for (size_t i = 0; i < c->n_rlimits; i++) {
        const struct rlimit_cfg *r = &c->rlimits[i];
        struct rlimit rl = { .rlim_cur = r->soft, .rlim_max = r->hard };
        if (setrlimit(r->resource, &rl) < 0)
            die_errno("rlimits", "set %s", r->name);
    }
}

static void __attribute__((noreturn)) exec_program_main(int syncfd, struct exec_child *x);

/* A: joins the container (cgroups via the host side, then every namespace), then forks the
 * program B as a sibling (CLONE_PARENT: the host side waits for it as its own child), tells the
 * host side B's pid and exits. A itself is never in the container's pid namespace. */
static void __attribute__((noreturn)) exec_joiner_main(int syncfd, struct exec_child *x)
{
    sync_report_errors_to(syncfd);
    /* docker: whatever keeps the exec's process from starting (an unknown -u user, a cwd that
     * cannot be entered...) is 126, "cannot invoke"; not found stays 127 (exec_final_setup). */
    g_fail_code = EXIT_CANNOT_EXEC;
    /* CVE-2016-9962: B, in the container's pid ns, holds the sync socket and full caps until
     * execve: non-dumpable (inherited through fork; execve resets it for the new program), so
     * the container's processes can neither ptrace it nor open /proc/<B>/fd without
     * CAP_SYS_PTRACE; and with it they only find the container's own root there. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    reset_signals();
    /* Drop every fd inherited from our caller that we do not need before we enter the
     * container: stdio, the sync socket, the console socket, the init's pidfd/ns fds. */
    {
        int keep[3 + N_NS] = { syncfd, x->console_sock, x->j->pidfd };
        for (size_t i = 0; i < N_NS; i++)
            keep[3 + i] = x->j->fds[i];
        close_fds_except(keep, 3 + N_NS);
    }
    struct sync_msg m;
    if (sync_recv(syncfd, &m) != 1 || m.type != SYNC_SETUP_DONE)
        _exit(EXIT_RUN_FAIL); /* host side failed and reports */

    /* We are in the container's cgroups now (written by the host side), so B is born in
     * them; only now the cgroup ns, so its root is the container's cgroup, and the mount ns,
     * which puts us at the container's root (pivot_root'ed): the host's tree is unreachable
     * from here on, before anything of ours exists in the container's pid namespace. */
    join_ns(x->j, x->j->flags);
    if (!x->j->use_fds)
        close(x->j->pidfd);
    if (chdir("/") < 0)
        die_errno("namespaces", "chdir to the container's root");
    pid_t b = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, NULL);
    if (b < 0)
        die_errno(STAGE, "clone the exec process");
    if (b == 0)
        exec_program_main(syncfd, x);
    sync_send(syncfd, SYNC_PID, (int)b, NULL);
    _exit(0);
}

/* B: inside every namespace of the container; sets up the process and execs it. */
static void __attribute__((noreturn)) exec_program_main(int syncfd, struct exec_child *x)
{
    struct config *c = x->c;
    struct sync_msg m;
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    int slave = -1;
    if (c->terminal) {
        /* From the container's own devpts instance, like the init's pty. */
        slave = pty_create_and_send(x->console_sock, c->console_rows, c->console_cols);
        close(x->console_sock);
        pty_become_controlling(slave);
        if (x->wait_go && (sync_recv(syncfd, &m) != 1 || m.type != SYNC_GO))
            _exit(EXIT_RUN_FAIL);
    }
    apply_rlimits(c);
    if (c->has_oom_score_adj) {
        char v[16];
        snprintf(v, sizeof(v), "%d", c->oom_score_adj);
        if (write_file("/proc/self/oom_score_adj", v) < 0)
            die_errno("oom_score_adj", "set %d", c->oom_score_adj);
    }
    /* The container is running and may race its own paths: the cwd is resolved once
     * inside its root and entered with fchdir (CVE-2024-21626), before the uid switch.
     * The seccomp filter goes in at the init's two positions (exec_final_setup). */
    char **envp;
    char *path = exec_final_setup(c, x->user, x->seccomp, "exec failed: unable to start container process", &envp);
    umask(c->has_umask ? c->umask : 022);
    /* No host fd may reach the container program (CVE-2024-21626): CLOEXEC on all >= 3;
     * the sync socket closing at execve is also our success signal to the host side. */
    exec_cloexec_fds();
    execve(path, (char *const *)c->args, envp);
    int e = errno;
    char line[1300];
    snprintf(line, sizeof(line), "ctui-runtime: exec failed: unable to start container process: exec: \"%s\": %s",
             c->args[0], strerror(e));
    die_line(e == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC, line);
}

/* ---- building the process from the command line ---- */

static void set_env(struct config *c, const char *kv)
{
    const char *eq = strchr(kv, '=');
    size_t klen = eq ? (size_t)(eq - kv) : strlen(kv);
    for (size_t i = 0; i < c->n_env; i++)
        if (!strncmp(c->env[i], kv, klen) && c->env[i][klen] == '=') {
            c->env[i] = kv;
            return;
        }
    c->env = xrealloc(c->env, (c->n_env + 2) * sizeof(char *));
    c->env[c->n_env++] = kv;
    c->env[c->n_env] = NULL;
}

static bool numeric_id(const char *s, unsigned long *out)
{
    char *end;
    if (!*s)
        return false;
    errno = 0;
    *out = strtoul(s, &end, 10);
    return !*end && !errno && *out < 0xffffffffUL;
}

/* Returns the user spec still to resolve inside the container (or NULL). */
static const char *build_process(const struct exec_opts *o, struct config *c)
{
    const char *user = NULL;
    if (o->process_file) {
        user = config_load_process(c, o->process_file);
    } else {
        if (!o->n_args)
            die_msg("args", "exec needs a command (or --process)");
        c->args = (const char **)o->args;
        c->n_args = o->n_args;
        c->terminal = false;
        /* docker semantics: without -u the container's own user */
        user = config_annotation(c, ANN_USER);
    }
    if (o->tty)
        c->terminal = true;
    for (size_t i = 0; i < o->n_env; i++)
        set_env(c, o->env[i]);
    if (o->cwd) {
        if (o->cwd[0] != '/')
            die_msg("args", "--cwd must be an absolute path");
        c->cwd = o->cwd;
    }
    if (o->user) {
        /* runc: UID[:GID]; a name is resolved in the container (ctui extension). */
        char *copy = xstrdup(o->user), *g = strchr(copy, ':');
        if (g)
            *g++ = 0;
        unsigned long u, gg = 0;
        if (numeric_id(copy, &u) && (!g || numeric_id(g, &gg))) {
            c->uid = (uid_t)u;
            c->gid = (gid_t)gg;
            c->n_add_gids = 0;
            user = NULL;
        } else {
            user = o->user;
        }
    }
    for (size_t i = 0; i < o->n_caps; i++) {
        int cap = caps_from_name(o->caps[i]);
        if (cap < 0)
            die_msg("args", "unknown capability %s", o->caps[i]);
        if (c->caps.present) {
            uint64_t b = 1ULL << cap;
            c->caps.bounding |= b;
            c->caps.effective |= b;
            c->caps.permitted |= b;
        }
    }
    if (o->no_new_privs)
        c->no_new_privs = true;
    if (c->terminal && o->detach && !o->console_socket)
        die_msg("args", "cannot allocate a tty for a detached exec without --console-socket");
    return user;
}

/* ---- host side ---- */

/* Wait for A's report of B's pid (or an error of A's), and reap A. */
static pid_t await_program(int syncfd, pid_t joiner)
{
    struct sync_msg m;
    int r = sync_recv(syncfd, &m);
    int st;
    while (waitpid(joiner, &st, 0) < 0 && errno == EINTR)
        ;
    if (r == 1 && m.type == SYNC_PID && m.code > 0)
        return (pid_t)m.code;
    if (r == 1 && m.type == SYNC_ERROR)
        die_line(m.code ? m.code : EXIT_RUN_FAIL, m.text);
    die_msg(STAGE, "the exec's namespace joiner exited before starting the process");
}

/* Wait until B exec'd (EOF) or reports an error (relayed with its exit code). With a
 * proxied terminal, B first sends the pty master: receive it, size it, then GO. */
static int await_exec(int syncfd, pid_t pid, int console_peer)
{
    int master = -1;
    for (;;) {
        struct pollfd p[2] = { { .fd = syncfd, .events = POLLIN },
                               { .fd = console_peer, .events = POLLIN } };
        if (poll(p, console_peer >= 0 ? 2 : 1, -1) < 0) {
            if (errno == EINTR)
                continue;
            die_errno(STAGE, "poll");
        }
        if (p[0].revents) {
            struct sync_msg m;
            int r = sync_recv(syncfd, &m);
            if (r == 1 && m.type == SYNC_ERROR) {
                waitpid(pid, NULL, 0);
                pty_restore_tty();
                die_line(m.code ? m.code : EXIT_RUN_FAIL, m.text);
            }
            if (r <= 0) { /* EOF: execve succeeded (or B died silently) */
                if (master < 0 && console_peer >= 0) {
                    int st;
                    waitpid(pid, &st, 0);
                    die_msg(STAGE, "exec process exited before sending its terminal");
                }
                return master;
            }
        }
        if (console_peer >= 0 && p[1].revents) {
            master = pty_recv_master(console_peer);
            close(console_peer);
            console_peer = -1;
            pty_sync_winsize(master); /* before the program runs: it sees the right size */
            pty_raw_mode();
            sync_send(syncfd, SYNC_GO, 0, NULL);
        }
    }
}

int cmd_exec(const struct exec_opts *o)
{
    struct state *st = state_load(o->root, o->id);
    if (!st)
        die_msg(STAGE, "container %s does not exist", o->id);
    enum status s = state_status(st);
    if (s == ST_PAUSED)
        die_code(126, "ctui-runtime: exec: container %s is paused, unpause it first", o->id);
    if (s != ST_RUNNING)
        die_code(126, "ctui-runtime: exec: container %s is not running", o->id);

    struct config *c = config_load(st->bundle, o->id);
    const char *user = build_process(o, c);
    /* The container's own filter (same cached BPF as at create): an exec is never
     * less confined than the container. */
    void *filter = seccomp_build(c, o->root);

    struct join j;
    open_init(st, &j);
    /* A freeze after this check cannot matter much: B then blocks in the frozen cgroup
     * until thawed, exactly like every other process of the container. */
    if (cgroups_frozen(st->cgroups_path))
        die_code(126, "ctui-runtime: exec: container %s is paused, unpause it first", o->id);

    struct exec_child x = { .c = c, .user = user, .j = &j, .console_sock = -1, .seccomp = filter };
    int console_peer = -1;
    if (c->terminal) {
        if (o->console_socket) {
            x.console_sock = pty_connect_console_socket(o->console_socket);
        } else {
            int sv[2];
            if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
                die_errno("console", "socketpair");
            x.console_sock = sv[1];
            console_peer = sv[0];
            x.wait_go = true;
        }
    }
    int sigfd = o->detach ? -1 : forwarded_signals(&(sigset_t){0}, true);

    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
        die_errno(STAGE, "socketpair");
    pid_t joiner = fork();
    if (joiner < 0)
        die_errno(STAGE, "fork");
    if (joiner == 0) {
        close(sv[0]);
        if (console_peer >= 0)
            close(console_peer);
        if (sigfd >= 0)
            close(sigfd);
        exec_joiner_main(sv[1], &x);
    }
    close(sv[1]);
    if (x.console_sock >= 0)
        close(x.console_sock);
    /* Host side of the cgroups join: before A enters the cgroup ns and forks B, so B runs
     * nothing of the container's outside its limits. */
    cgroups_join(st->cgroups_path, joiner);
    sync_send(sv[0], SYNC_SETUP_DONE, 0, NULL);
    pid_t pid = await_program(sv[0], joiner);
    int master = await_exec(sv[0], pid, console_peer);
    close(sv[0]);
    if (o->pid_file) {
        char buf[24];
        int n = snprintf(buf, sizeof(buf), "%d", pid);
        if (write_file_atomic(o->pid_file, buf, n, 0644) < 0)
            die_errno("pid-file", "write %s", o->pid_file);
    }
    if (o->detach)
        return 0;
    int status = master >= 0 ? pty_proxy_wait(master, pid, sigfd) : signal_wait(pid, sigfd);
    pty_restore_tty();
    return exit_code_of(status);
}
