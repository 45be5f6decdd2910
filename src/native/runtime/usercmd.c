/* usercmd.c - `_user`: docker's -u resolution for callers outside the container (the core, for
 * runtimes that take a numeric user: runc, crun), done where the container's files are the only
 * files there are.
 *
 *   ctui-runtime _user --pid PID --start-time T [--login-shell] SPEC   a running container
 *   ctui-runtime _user --rootfs DIR [--login-shell] SPEC               a rootfs not yet running
 *
 * Reading /etc/passwd through /proc/PID/root/etc/passwd from the host, or resolving its symlinks
 * with a userspace securejoin, races the container: it can swap /etc/passwd (or /etc) for a
 * symlink between the check and the open, and the host's own passwd gets read (an attack run
 * resolved a host-only user in 31 of 80 tries). Instead this process joins the container's mount
 * namespace (setns: its "/" becomes the container's root, exactly what `exec` does) or chroots into
 * a rootfs nothing runs in yet, and only then opens the files: every lookup, symlinks included,
 * happens inside the container's tree; the host's files are not reachable by any name.
 *
 * Prints "uid N\ngid N\ngroups G,G\nhome H\nshell S\n" (+ "login PATH\n": the user's shell when it
 * is an executable file there, else /bin/bash, else /bin/sh). Unknown user or group: docker's
 * message, exit 126 (the caller decides what it means for its verb). */
#include "userdb.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

#define STAGE "user"

/* Joins the mount namespace of PID, checked to be the process that started at T (a recycled pid
 * would be some other process: possibly one on the host, whose "/" is the host's). The pidfd pins
 * the process between the check and the join. */
void usercmd_join_container(pid_t pid, uint64_t start)
{
    int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pfd < 0 && errno != ENOSYS)
        die_errno(STAGE, "the container's process %d", (int)pid);
    int nsfd = -1;
    if (pfd < 0) {
        /* No pidfd (kernel < 5.3): the namespace fd, opened before the start-time check, pins it. */
        char p[64];
        snprintf(p, sizeof(p), "/proc/%d/ns/mnt", (int)pid);
        nsfd = open(p, O_RDONLY | O_CLOEXEC);
        if (nsfd < 0)
            die_errno(STAGE, "open %s", p);
    }
    if (proc_start_time(pid, NULL) != start)
        die_msg(STAGE, "the container's process %d is gone", (int)pid);
    if (pfd >= 0) {
        if (setns(pfd, CLONE_NEWNS) == 0) {
            close(pfd);
            goto joined;
        }
        if (errno != EINVAL)
            die_errno(STAGE, "join the container's mount namespace");
        /* setns on a pidfd needs 5.8: the namespace file, then make sure it was still that process. */
        char p[64];
        snprintf(p, sizeof(p), "/proc/%d/ns/mnt", (int)pid);
        nsfd = open(p, O_RDONLY | O_CLOEXEC);
        if (nsfd < 0 || syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0) < 0)
            die_msg(STAGE, "the container's process %d is gone", (int)pid);
        close(pfd);
    }
    if (setns(nsfd, CLONE_NEWNS) < 0)
        die_errno(STAGE, "join the container's mount namespace");
    close(nsfd);
joined:
    /* setns left us at the namespace's root (the container's, after its pivot_root). */
    if (chdir("/") < 0)
        die_errno(STAGE, "chdir /");
}

static void enter_rootfs(const char *dir)
{
    /* Nothing runs in this rootfs yet, so nothing can move it under us: chroot confines every
     * lookup below (absolute symlinks and `..` alike) to it. */
    if (chroot(dir) < 0 || chdir("/") < 0)
        die_errno(STAGE, "enter %s", dir);
}

static bool executable_file(const char *p)
{
    struct stat sb;
    return p && p[0] == '/' && stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 0111);
}

int usercmd_main(int argc, char **argv)
{
    const char *rootfs = NULL, *spec = NULL;
    long pid = 0;
    unsigned long long start = 0;
    bool login = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--pid") && i + 1 < argc) pid = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--start-time") && i + 1 < argc) start = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--rootfs") && i + 1 < argc) rootfs = argv[++i];
        else if (!strcmp(argv[i], "--login-shell")) login = true;
        else if (!spec && argv[i][0] != '-') spec = argv[i];
        else if (!spec && !strcmp(argv[i], "--") && i + 1 < argc) spec = argv[++i];
        else die_msg("args", "unexpected argument %s", argv[i]);
    }
    if ((pid > 0) == (rootfs != NULL) || (pid > 0 && !start))
        die_msg("args", "usage: ctui-runtime _user (--pid PID --start-time T | --rootfs DIR) [--login-shell] [SPEC]");
    if (pid > 0)
        usercmd_join_container((pid_t)pid, start);
    else
        enter_rootfs(rootfs);
    struct userdb_user u;
    char err[600];
    if (!userdb_lookup(spec ? spec : "", &u, err, sizeof(err)))
        die_line(EXIT_CANNOT_EXEC, err);
    printf("uid %u\ngid %u\ngroups ", (unsigned)u.uid, (unsigned)u.gid);
    for (size_t i = 0; i < u.n_gids; i++)
        printf(i ? ",%u" : "%u", (unsigned)u.gids[i]);
    printf("\nhome %s\nshell %s\n", u.home, u.shell ? u.shell : "");
    if (login) {
        const char *c[] = { u.shell, "/bin/bash", "/bin/sh" };
        const char *pick = "/bin/sh";
        for (size_t i = 0; i < 3; i++)
            if (executable_file(c[i])) {
                pick = c[i];
                break;
            }
        printf("login %s\n", pick);
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
