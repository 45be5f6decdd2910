/* cpcmd.c - `_cp`: the container side of `ctui cp`, done where the container's files are the only
 * files there are.
 *
 *   ctui-runtime _cp ENTER stat PATH
 *   ctui-runtime _cp ENTER get PATH                      a tar of PATH on stdout
 *   ctui-runtime _cp ENTER put DIR [--chown-user SPEC] [--mknod] [--readonly-rootfs]
 *                                                         records on stdin (cpcmd.h) extracted in DIR
 *   ENTER: --pid PID --start-time T                       a running (or paused) container
 *        | --view DIR [--cwd C --lower L [--upper U --work W]] [--ro] [--bind SRC DST ro|rw]...
 *                                                         a stopped one: its rootfs (an overlay of
 *                                                         its layers, mounted here unless DIR already
 *                                                         is it) with its volumes and binds on top
 *
 * Why a process of its own: docker cp resolved the container's paths from the host and was raced
 * (CVE-2018-15664: a container swapping a directory for a symlink to / between docker's check and
 * its open made the daemon read and write host files as root). moby's answer was a chrooted child
 * (chrootarchive), buildah's copier does the same. Here the process first makes the host
 * unreachable by any name: it joins the running container's mount namespace (its "/" becomes the
 * container's root, as for `exec`), or, for a stopped container, mounts the rootfs and the volumes
 * in a private mount namespace of its own (gone with the process: nothing leaks if it is killed)
 * and chroots into it. Only then does it look anything up. On top of that every lookup is relative
 * to the root's fd with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS), so `..`, absolute
 * symlinks and /proc magic links all stop at the container's root, and every create is relative
 * to a directory fd with O_NOFOLLOW / O_EXCL: no path string is checked and then reused.
 *
 * Reading: entries are opened with O_NOFOLLOW and typed from the fd; a symlink is archived as a
 * symlink, never followed; only regular files are ever opened for reading (a device node the
 * container made is archived as a node, its device never opened: this process is not in the
 * container's device cgroup). Reading is cpget.c, writing cpput.c (put_entry). */
#include "cpcmd.h"
#include "cpint.h"
#include "overlay.h"
#include "mountfd.h"
#include "resolve.h"
#include "usercmd.h"
#include "userdb.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>



/* The host's /proc, opened before entering: the only way back to a file by its fd ("self/fd/N")
 * once the container's root is ours. Only ever used with that fixed name. */
int cp_procfd = -1;

/* ---------------------------------------------------------------- entering the container */

struct bind { const char *src, *dst; bool ro; };

static void enter_view(const char *view, const char *cwd, const char *lower, const char *upper, const char *work,
                       bool ro, const struct bind *binds, size_t nbinds)
{
    if (unshare(CLONE_NEWNS) < 0)
        die_errno(STAGE, "unshare the mount namespace");
    /* Private from here: nothing mounted below reaches the host's namespace. */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        die_errno(STAGE, "make the mount namespace private");
    char *scratch = NULL;
    if (lower && !upper) {
        /* A view for reading: the container's layers (its writable one as the top lower, so a
         * start meanwhile is never a second user of its upper dir) under a throwaway tmpfs upper,
         * where the mount points of its volumes can be made without touching the container. */
        if (mount("tmpfs", view, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") < 0)
            die_errno(STAGE, "mount a scratch tmpfs");
        char *u = xasprintf("%s/u", view), *w = xasprintf("%s/w", view);
        scratch = xasprintf("%s/r", view);
        if (mkdir(u, 0700) < 0 || mkdir(w, 0700) < 0 || mkdir(scratch, 0700) < 0)
            die_errno(STAGE, "scratch dirs");
        if (overlay_mount(cwd, lower, u, w, scratch) < 0)
            die_errno(STAGE, "mount the container's rootfs");
        view = scratch;
    } else if (lower && overlay_mount(cwd, lower, upper, work, view) < 0) {
        die_errno(STAGE, "mount the container's rootfs");
    }
    int vfd = open(view, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (vfd < 0)
        die_errno(STAGE, "open %s", view);
    for (size_t i = 0; i < nbinds; i++) {
        int sfd = open(binds[i].src, O_PATH | O_CLOEXEC);
        struct stat sb;
        if (sfd < 0 || fstat(sfd, &sb) < 0)
            die_errno(STAGE, "mount source %s", binds[i].src);
        /* The mount point is resolved inside the rootfs (an image's symlinks stay inside), as the
         * runtime does at start. */
        int dfd = S_ISDIR(sb.st_mode) ? mkdirall_in_root(vfd, binds[i].dst, 0755, true)
                                      : mkfile_in_root(vfd, binds[i].dst, 0644);
        if (dfd < 0)
            die_errno(STAGE, "mount point %s", binds[i].dst);
        int mfd = mountfd_clone(sfd, true);
        if (mfd < 0 || (binds[i].ro && mountfd_set_flags(mfd, MS_RDONLY) < 0) || mountfd_attach(mfd, dfd, "") < 0)
            die_errno(STAGE, "mount %s on %s", binds[i].src, binds[i].dst);
        close(mfd);
        close(dfd);
        close(sfd);
    }
    if (ro && mount(NULL, view, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
        die_errno(STAGE, "make the view read-only");
    if (fchdir(vfd) < 0 || chroot(".") < 0 || chdir("/") < 0)
        die_errno(STAGE, "enter the container's rootfs");
    close(vfd);
}

/* ---------------------------------------------------------------- paths as docker reads them */

static bool ends_with_dot_or_slash(const char *p)
{
    size_t n = strlen(p);
    return n == 0 || p[n - 1] == '/' || (p[n - 1] == '.' && (n == 1 || p[n - 2] == '/'));
}

/* The container path, absolute, cleaned, with docker's trailing "/." or "/" kept
 * (archive.PreserveTrailingDotOrSeparator). */
static char *abs_path(const char *p)
{
    char *c = clean_path(p);
    size_t n = strlen(p);
    if (n >= 2 && p[n - 1] == '.' && p[n - 2] == '/') {
        char *r = xasprintf("%s%s.", c, strcmp(c, "/") ? "/" : "");
        free(c);
        return r;
    }
    if (n > 0 && p[n - 1] == '/' && strcmp(c, "/")) {
        char *r = xasprintf("%s/", c);
        free(c);
        return r;
    }
    return c;
}

/* What PATH names, docker's way (container.ResolvePath): the directory part resolved in the root
 * (its symlinks followed, inside), the last component not followed - unless the path ends in "/"
 * or "/.", which names the directory itself. On success *pfd is an O_PATH fd of the parent and
 * *name the entry in it, or *pfd the thing itself and *name NULL. */
static int resolve_src(int rootfd, const char *abs, int *pfd, char **name, struct stat *st)
{
    if (ends_with_dot_or_slash(abs)) {
        int fd = resolve_in_root(rootfd, abs, O_DIRECTORY);
        if (fd < 0)
            return -1;
        if (fstat(fd, st) < 0) {
            close(fd);
            return -1;
        }
        *pfd = fd;
        *name = NULL;
        return 0;
    }
    const char *slash = strrchr(abs, '/');
    char *dir = xasprintf("%.*s", (int)(slash - abs + 1), abs);
    int fd = resolve_in_root(rootfd, dir, O_DIRECTORY);
    free(dir);
    if (fd < 0)
        return -1;
    if (fstatat(fd, slash + 1, st, AT_SYMLINK_NOFOLLOW) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    *pfd = fd;
    *name = xstrdup(slash + 1);
    return 0;
}

void cp_not_found_or_die(const char *abs)
{
    if (errno == ENOENT)
        die_line(EXIT_NOT_THERE, "not found");
    char line[4200];
    snprintf(line, sizeof(line), "lstat %s: %s", abs, strerror(errno));
    die_line(1, line);
}

/* PATH made absolute and resolved (resolve_src), or the process ends with the caller's message. */
char *cp_resolve_or_die(int rootfd, const char *path, int *pfd, char **name, struct stat *st)
{
    char *abs = abs_path(path);
    if (resolve_src(rootfd, abs, pfd, name, st) < 0)
        cp_not_found_or_die(abs);
    return abs;
}

/* ---------------------------------------------------------------- stat */

static int op_stat(int rootfd, const char *path)
{
    int pfd;
    char *name;
    struct stat st;
    cp_resolve_or_die(rootfd, path, &pfd, &name, &st);
    char link[4096] = "";
    if (S_ISLNK(st.st_mode)) {
        ssize_t n = readlinkat(pfd, name, link, sizeof(link) - 1);
        link[n > 0 ? n : 0] = 0;
    }
    printf("mode %o\nsize %lld\nmtime %lld\nlink %s\n", (unsigned)st.st_mode, (long long)st.st_size,
           (long long)st.st_mtim.tv_sec, link);
    return fflush(stdout) == 0 ? 0 : 1;
}

/* ---------------------------------------------------------------- command line */

int cpcmd_main(int argc, char **argv)
{
    long pid = 0;
    unsigned long long start = 0;
    const char *view = NULL, *cwd = NULL, *lower = NULL, *upper = NULL, *work = NULL;
    bool ro = false;
    struct bind binds[64];
    size_t nbinds = 0;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (!strcmp(a, "--pid") && has) pid = strtol(argv[++i], NULL, 10);
        else if (!strcmp(a, "--start-time") && has) start = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--view") && has) view = argv[++i];
        else if (!strcmp(a, "--cwd") && has) cwd = argv[++i];
        else if (!strcmp(a, "--lower") && has) lower = argv[++i];
        else if (!strcmp(a, "--upper") && has) upper = argv[++i];
        else if (!strcmp(a, "--work") && has) work = argv[++i];
        else if (!strcmp(a, "--ro")) ro = true;
        else if (!strcmp(a, "--bind") && i + 3 < argc && nbinds < 64) {
            binds[nbinds++] = (struct bind){ argv[i + 1], argv[i + 2], !strcmp(argv[i + 3], "ro") };
            i += 3;
        } else die_msg("args", "unexpected argument %s", a);
    }
    if (i >= argc || (pid > 0) == (view != NULL) || (pid > 0 && !start) || (!upper != !work))
        die_msg("args", "usage: ctui-runtime _cp (--pid PID --start-time T | --view DIR [...]) stat|get|put PATH");
    const char *op = argv[i++];
    if (i >= argc)
        die_msg("args", "%s needs a path", op);
    const char *path = argv[i++];
    const char *chown_user = NULL;
    bool mknod_ok = false, ro_rootfs = false;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--chown-user") && i + 1 < argc) chown_user = argv[++i];
        else if (!strcmp(argv[i], "--mknod")) mknod_ok = true;
        else if (!strcmp(argv[i], "--readonly-rootfs")) ro_rootfs = true;
        else die_msg("args", "unexpected argument %s", argv[i]);
    }
    /* Nothing of the caller's but stdio comes along: an inherited host directory fd would be a way
     * out of the container's root. */
    close_fds_except(NULL, 0);
    cp_procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (cp_procfd < 0)
        die_errno(STAGE, "open /proc");
    if (pid > 0)
        usercmd_join_container((pid_t)pid, start);
    else
        enter_view(view, cwd, lower, upper, work, ro, binds, nbinds);
    int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        die_errno(STAGE, "open the container's root");
    if (!strcmp(op, "stat"))
        return op_stat(rootfd, path);
    if (!strcmp(op, "get"))
        return cp_get(rootfd, path);
    if (!strcmp(op, "put")) {
        /* Writing needs no way back to the host at all. */
        close(cp_procfd);
        cp_procfd = -1;
        return cp_put(rootfd, path, chown_user, mknod_ok, ro_rootfs);
    }
    die_msg("args", "unknown _cp operation %s", op);
}
