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
 * A user namespace would slot in as: init unshares CLONE_NEWUSER first, the parent
 * writes uid_map/gid_map (ns_write_id_maps below) before SETUP_DONE, and only then the
 * init unshares the others (so they are owned by the new user ns). Not implemented:
 * config_load refuses user namespaces with a clear error. */
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
#include <sys/prctl.h>
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

pid_t ns_spawn_init(const struct config *c, int *syncfd, void (*init_fn)(int, void *), void *arg)
{
    const struct ns_cfg *pid = config_ns(c, CLONE_NEWPID);
    if (pid && pid->path)
        join_ns_path(pid);
    else if (pid && unshare(CLONE_NEWPID) < 0)
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

/* Placeholder for user namespaces: uid_map/gid_map of PID would be written here, by the
 * parent (which holds CAP_SETUID in the parent user ns), before SETUP_DONE. */
static void ns_write_id_maps(const struct config *c, pid_t pid)
{
    (void)c;
    (void)pid;
}

void ns_parent_setup(const struct config *c, pid_t pid, int syncfd)
{
    ns_write_id_maps(c, pid);
    cgroups_join(c->cgroups_path, pid);
    sync_send(syncfd, SYNC_SETUP_DONE, pid, NULL); /* code: the init's host pid */
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
    static const int order[] = { CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWNET, CLONE_NEWCGROUP, CLONE_NEWNS };
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
    if (unshare_flags && unshare(unshare_flags) < 0)
        die_errno(STAGE, "unshare");
    struct sync_msg m;
    int r = sync_recv(syncfd, &m);
    if (r != 1 || m.type != SYNC_SETUP_DONE)
        _exit(EXIT_RUN_FAIL); /* parent died or failed: it reports; nothing to say */
    g_host_pid = m.code;
    /* Only now, inside the container's cgroups: the cgroup ns root becomes that cgroup. */
    if (config_has_new_ns(c, CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0)
        die_errno(STAGE, "create cgroup namespace");
    if (config_has_new_ns(c, CLONE_NEWNET))
        loopback_up();
}
