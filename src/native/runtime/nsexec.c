/* nsexec.c - spawning the container init.
 *
 * runc needs a C constructor with two re-clones (Go cannot fork safely); we are plain
 * C and single-threaded, so a normal fork() is enough - which also keeps glibc's
 * internal state (cached tid, locks) correct in the child, unlike a raw clone(2):
 *   parent: unshare(CLONE_NEWPID) or setns(pidfd)  - only changes where its CHILDREN go
 *   parent: fork()                                 - child = pid 1 of the new pid ns
 *   init:   setns() into namespaces given by path, unshare() the new ones except cgroup
 *   parent: write the init's pid to the container's cgroup.procs, send SETUP_DONE
 *   init:   unshare(CLONE_NEWCGROUP)  - AFTER joining, so the ns root is its own cgroup
 * With a new user namespace (linux.uidMappings/gidMappings):
 *   init:   unshare(CLONE_NEWUSER | the others | CLONE_NEWPID) in ONE call: the kernel
 *           makes the user ns first, every other one is then owned by it (a proc, sysfs
 *           or mqueue mount needs CAP_SYS_ADMIN in the owner of the pid/net/ipc ns), and
 *           sends USERNS
 *   parent: writes /proc/INIT/uid_map and gid_map (as root of the host's user ns), joins
 *           the cgroups, SETUP_DONE
 *   init:   setresuid/setresgid(0): the container's root, i.e. what the maps give 0
 *   init:   a new pid ns only holds the init's CHILDREN, so it clone(CLONE_PARENT)s the
 *           real init (pid 1, the parent's child), reports its pid (SYNC_PID) and exits;
 *           the parent answers with that pid so pid 1 knows its host pid (hook states).
 * Namespaces given by path are joined before any of this, with the runtime's own
 * privileges (user first, so that the others are joined as its member). */
#include "nsexec.h"
#include "cgroups.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <unistd.h>

#define STAGE "namespaces"

int sync_send(int fd, enum sync_type type, int code, const char *text)
{
    struct sync_msg m = { .type = type, .code = code };
    if (text)
        snprintf(m.text, sizeof(m.text), "%s", text);
    size_t len = offsetof(struct sync_msg, text) + (text ? strlen(m.text) + 1 : 0);
    ssize_t r;
    do
        r = send(fd, &m, len, MSG_NOSIGNAL);
    while (r < 0 && errno == EINTR);
    return r < 0 ? -1 : 0;
}

static int g_report_fd = -1;

static void report_and_exit(int code, const char *line)
{
    if (g_report_fd >= 0 && sync_send(g_report_fd, SYNC_ERROR, code, line) == 0)
        _exit(code);
    if (write(STDERR_FILENO, line, strlen(line)) >= 0 && write(STDERR_FILENO, "\n", 1) >= 0) {
        /* reported on our stderr (the container's, once the caller has gone) */
    }
    _exit(code);
}

void sync_report_errors_to(int fd)
{
    g_report_fd = fd;
    g_die_hook = report_and_exit;
}

int sync_recv(int fd, struct sync_msg *m)
{
    memset(m, 0, sizeof(*m));
    ssize_t r;
    do
        r = recv(fd, m, sizeof(*m), 0);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        return -1;
    if (r == 0)
        return 0;
    m->text[sizeof(m->text) - 1] = 0;
    return 1;
}

static const char *ns_name(int flag)
{
    switch (flag) {
    case CLONE_NEWPID: return "pid";
    case CLONE_NEWNET: return "network";
    case CLONE_NEWNS: return "mount";
    case CLONE_NEWIPC: return "ipc";
    case CLONE_NEWUTS: return "uts";
    case CLONE_NEWUSER: return "user";
    case CLONE_NEWCGROUP: return "cgroup";
    }
    return "?";
}

static int open_ns_path(const struct ns_cfg *n)
{
    int fd = open(n->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        die_errno(STAGE, "open %s namespace %s", ns_name(n->flag), n->path);
    return fd;
}

static void setns_fd(const struct ns_cfg *n, int fd)
{
    /* The nstype argument makes the kernel verify the file IS a namespace of that type:
     * a config pointing "network" at some other ns file cannot swap namespaces. */
    if (setns(fd, n->flag) < 0)
        die_errno(STAGE, "join %s namespace %s", ns_name(n->flag), n->path);
    close(fd);
}

static void join_ns_path(const struct ns_cfg *n)
{
    setns_fd(n, open_ns_path(n));
}

/* A new user AND a new pid ns: the pid ns must be made after (owned by) the user ns, by
 * the init itself, which then forks pid 1 (see the top of this file). */
static bool two_stage(const struct config *c)
{
    return config_has_new_ns(c, CLONE_NEWUSER) && config_has_new_ns(c, CLONE_NEWPID);
}

pid_t ns_spawn_init(const struct config *c, int *syncfd, void (*init_fn)(int, void *), void *arg)
{
    const struct ns_cfg *pid = config_ns(c, CLONE_NEWPID);
    if (pid && pid->path)
        join_ns_path(pid);
    else if (pid && !two_stage(c) && unshare(CLONE_NEWPID) < 0)
        die_errno(STAGE, "create pid namespace");
    int sv[2];
    /* SEQPACKET: message boundaries for free, and EOF when the init exec's (CLOEXEC). */
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
        die_errno(STAGE, "socketpair");
    pid_t p = fork();
    if (p < 0)
        die_errno(STAGE, "fork the container init");
    if (p == 0) {
        close(sv[0]);
        init_fn(sv[1], arg);
        _exit(EXIT_RUN_FAIL); /* not reached */
    }
    close(sv[1]);
    *syncfd = sv[0];
    return p;
}

/* One write of the whole map (the kernel takes a map once, in a single write). Done by the
 * parent: as root of the host's user ns it may map any host ids; the init could only map
 * its own. */
static void write_map(pid_t pid, const char *file, const struct idmap_cfg *m, size_t n)
{
    char buf[4096], path[64];
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n", m[i].inside, m[i].outside, m[i].size);
        if (w < 0 || (size_t)w >= sizeof(buf) - len)
            die_msg("user namespace", "linux.%s is too long", file[0] == 'u' ? "uidMappings" : "gidMappings");
        len += (size_t)w;
    }
    snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
        die_errno("user namespace", "write %s (linux.%s)", path, file[0] == 'u' ? "uidMappings" : "gidMappings");
    close(fd);
}

/* The next message from the init must be WANT; its error line (and code) otherwise. */
static void expect(int syncfd, enum sync_type want, struct sync_msg *m)
{
    int r = sync_recv(syncfd, m);
    if (r == 1 && m->type == want)
        return;
    if (r == 1 && m->type == SYNC_ERROR)
        die_line(g_fail_code, m->text);
    die_msg(STAGE, "container init exited unexpectedly");
}

pid_t ns_parent_setup(const struct config *c, pid_t pid, int syncfd)
{
    struct sync_msg m;
    if (config_has_new_ns(c, CLONE_NEWUSER)) {
        expect(syncfd, SYNC_USERNS, &m);
        write_map(pid, "uid_map", c->uid_maps, c->n_uid_maps);
        write_map(pid, "gid_map", c->gid_maps, c->n_gid_maps);
    }
    cgroups_join(c->cgroups_path, pid);
    sync_send(syncfd, SYNC_SETUP_DONE, pid, NULL); /* code: the init's host pid */
    if (!two_stage(c))
        return pid;
    expect(syncfd, SYNC_PID, &m);
    pid_t init = m.code;
    waitpid(pid, NULL, 0); /* the first stage exits once pid 1 exists */
    sync_send(syncfd, SYNC_PID, init, NULL);
    return init;
}

/* A fresh network namespace has only a DOWN loopback; bring it up like runc does. */
static void loopback_up(void)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        die_errno(STAGE, "socket for lo");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    strcpy(ifr.ifr_name, "lo");
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
        die_errno(STAGE, "get lo flags");
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
        die_errno(STAGE, "bring lo up");
    close(s);
}

static pid_t g_host_pid;

pid_t ns_init_host_pid(void)
{
    return g_host_pid;
}

void ns_init_enter(const struct config *c, int syncfd)
{
    /* Join the namespaces given by path first (e.g. another container's network), then
     * create the new ones. Mount ns last among joins so the opens above still see the
     * host's filesystem. */
    static const int order[] = { CLONE_NEWUSER, CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWNET, CLONE_NEWCGROUP, CLONE_NEWNS };
    enum { N = sizeof(order) / sizeof(order[0]) };
    int unshare_flags = 0, fds[N];
    /* Every path is opened before the first setns (as runc's nsexec): a path is the
     * operator's, read in the runtime's own namespaces, never resolved in a namespace we
     * have already joined (a joined mount ns would see other files under that name). */
    for (size_t i = 0; i < N; i++) {
        const struct ns_cfg *n = config_ns(c, order[i]);
        fds[i] = n && n->path ? open_ns_path(n) : -1;
    }
    for (size_t i = 0; i < N; i++) {
        const struct ns_cfg *n = config_ns(c, order[i]);
        if (!n)
            continue;
        if (n->path)
            setns_fd(n, fds[i]);
        else if (order[i] != CLONE_NEWCGROUP)
            unshare_flags |= order[i];
    }
    if (two_stage(c))
        unshare_flags |= CLONE_NEWPID; /* for our child, pid 1, forked below */
    if (unshare_flags && unshare(unshare_flags) < 0)
        die_errno(STAGE, "unshare");
    bool newuser = config_has_new_ns(c, CLONE_NEWUSER);
    if (newuser)
        sync_send(syncfd, SYNC_USERNS, 0, NULL);
    struct sync_msg m;
    int r = sync_recv(syncfd, &m);
    if (r != 1 || m.type != SYNC_SETUP_DONE)
        _exit(EXIT_RUN_FAIL); /* parent died or failed: it reports; nothing to say */
    g_host_pid = m.code;
    if (newuser) {
        /* The maps are in: become the container's root (runc does the same), with no
         * supplementary groups of the host's root left. */
        if (setgroups(0, NULL) < 0)
            die_errno("user namespace", "setgroups");
        if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
            die_errno("user namespace", "become root of the user namespace (does linux.uidMappings/gidMappings map id 0?)");
    }
    /* Only now, inside the container's cgroups: the cgroup ns root becomes that cgroup. */
    if (config_has_new_ns(c, CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0)
        die_errno(STAGE, "create cgroup namespace");
    if (two_stage(c)) {
        /* pid 1 of the new pid ns, as the parent's child (CLONE_PARENT: create/run waits
         * for it; it dies with them until READY, like any init). */
        pid_t child = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, NULL);
        if (child < 0)
            die_errno(STAGE, "fork pid 1 of the new pid namespace");
        if (child > 0) {
            sync_send(syncfd, SYNC_PID, child, NULL);
            _exit(0);
        }
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        if (sync_recv(syncfd, &m) != 1 || m.type != SYNC_PID)
            _exit(EXIT_RUN_FAIL);
        g_host_pid = m.code;
    }
    if (config_has_new_ns(c, CLONE_NEWNET))
        loopback_up();
}
