/* mountfd.c - every mount of the container is built detached and changed through its own fd
 * (the "new mount API": open_tree, fsopen/fsconfig/fsmount, mount_setattr, move_mount).
 *
 * Why: mount(2) takes paths. Handing it /proc/self/fd/N of a destination resolved and checked
 * inside the rootfs makes the FIRST mount land exactly there, but any later change of that
 * mount (MS_REMOUNT for ro/nosuid/nodev/noexec, MS_SHARED/MS_SLAVE/...) has to name the NEW
 * mount, which the old fd does not (it still names the directory now covered), so it used to be
 * looked up again by path. Between the two, a second container sharing the volume can rename a
 * directory: "make /data/ro read-only" then makes some other mount read-only (or shared) while
 * /data/ro stays writable. Here nothing is looked up after the check:
 *   - a bind is a detached copy of its source (open_tree OPEN_TREE_CLONE), a filesystem a
 *     detached instance (fsmount): a mount object only our fd reaches;
 *   - its flags are set on that object (mount_setattr, fsmount's attributes) before anyone can
 *     see it, so the container never sees it writable even for a moment;
 *   - move_mount() attaches it onto the destination fd resolved once (MOVE_MOUNT_T_EMPTY_PATH);
 *   - a later change (propagation, read-only after populating) goes through the same fd, which
 *     names the mount itself wherever a rename has moved it.
 * runc re-opens the destination by path after mount(2) and checks the path did not change (its
 * comments call the new API the race-free fix); crun re-opens by path after move_mount. We keep
 * the mount's own fd instead. No path-based fallback: on a kernel without the API (Linux < 5.12)
 * every create is refused with one line rather than made racy again. */
#include "mountfd.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Own names for the API's constants (linux/mount.h values): older glibc lacks them, and glibc
 * 2.36's <sys/mount.h> clashes with <linux/mount.h>. Syscall numbers are the same on every
 * architecture for calls added after 5.0. */
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef SYS_fsopen
#define SYS_fsopen 430
#endif
#ifndef SYS_fsconfig
#define SYS_fsconfig 431
#endif
#ifndef SYS_fsmount
#define SYS_fsmount 432
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#define CT_OPEN_TREE_CLONE 1u
#define CT_MOVE_MOUNT_F_EMPTY_PATH 0x04u
#define CT_MOVE_MOUNT_T_EMPTY_PATH 0x40u
#define CT_FSOPEN_CLOEXEC 1u
#define CT_FSMOUNT_CLOEXEC 1u
#define CT_FSCONFIG_SET_FLAG 0u
#define CT_FSCONFIG_SET_STRING 1u
#define CT_FSCONFIG_CMD_CREATE 6u
#define CT_ATTR_RDONLY 0x01u
#define CT_ATTR_NOSUID 0x02u
#define CT_ATTR_NODEV 0x04u
#define CT_ATTR_NOEXEC 0x08u
#define CT_ATTR__ATIME 0x70u
#define CT_ATTR_RELATIME 0x00u
#define CT_ATTR_NOATIME 0x10u
#define CT_ATTR_STRICTATIME 0x20u
#define CT_ATTR_NODIRATIME 0x80u

struct ct_mount_attr { uint64_t attr_set, attr_clr, propagation, userns_fd; };

/* The kernel's message for the last refused fsconfig (e.g. "tmpfs: Bad value for 'size'"). */
static char g_kmsg[256];

/* MS_* per-mount bits -> MOUNT_ATTR_*; *atime says whether an atime mode was asked for. */
static unsigned attrs_of(unsigned long f, bool *atime)
{
    unsigned a = 0;
    if (f & MS_RDONLY) a |= CT_ATTR_RDONLY;
    if (f & MS_NOSUID) a |= CT_ATTR_NOSUID;
    if (f & MS_NODEV) a |= CT_ATTR_NODEV;
    if (f & MS_NOEXEC) a |= CT_ATTR_NOEXEC;
    if (f & MS_NODIRATIME) a |= CT_ATTR_NODIRATIME;
    /* mount(2)'s precedence: noatime over strictatime over relatime. */
    if (f & MS_NOATIME) a |= CT_ATTR_NOATIME;
    else if (f & MS_STRICTATIME) a |= CT_ATTR_STRICTATIME;
    *atime = (f & (MS_NOATIME | MS_STRICTATIME | MS_RELATIME)) != 0;
    return a;
}

static int setattr(int mfd, unsigned flags, struct ct_mount_attr *a)
{
    return (int)syscall(SYS_mount_setattr, mfd, "", AT_EMPTY_PATH | flags, a, sizeof(*a));
}

int mountfd_clone(int fd, bool recursive)
{
    return (int)syscall(SYS_open_tree, fd, "",
                        CT_OPEN_TREE_CLONE | O_CLOEXEC | AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0));
}

int mountfd_set_flags(int mfd, unsigned long msflags)
{
    bool atime;
    struct ct_mount_attr a = { .attr_set = attrs_of(msflags, &atime) };
    if (atime)
        a.attr_clr = CT_ATTR__ATIME; /* the atime mode is one field: replace it */
    if (!a.attr_set && !a.attr_clr)
        return 0;
    /* Not AT_RECURSIVE: like a bind remount, "ro" is the top mount's flag ("rro" would be
     * the recursive one, which this runtime does not offer). */
    return setattr(mfd, 0, &a);
}

int mountfd_set_propagation(int mfd, unsigned long prop)
{
    struct ct_mount_attr a = { .propagation = prop & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE) };
    return setattr(mfd, (prop & MS_REC) ? AT_RECURSIVE : 0, &a);
}

int mountfd_attach(int mfd, int dirfd, const char *path)
{
    bool here = !path || !*path;
    return (int)syscall(SYS_move_mount, mfd, "", dirfd, here ? "" : path,
                        CT_MOVE_MOUNT_F_EMPTY_PATH | (here ? CT_MOVE_MOUNT_T_EMPTY_PATH : 0));
}

static int fsconfig_(int fsfd, unsigned cmd, const char *key, const char *value)
{
    return (int)syscall(SYS_fsconfig, fsfd, cmd, key, value, 0);
}

/* Keep the kernel's explanation of a refused parameter for the error line. */
static void save_kmsg(int fsfd)
{
    char buf[sizeof(g_kmsg)];
    ssize_t n = read(fsfd, buf, sizeof(buf) - 1);
    if (n > 2 && buf[0] == 'e' && buf[1] == ' ') { /* "e tmpfs: Bad value ..." */
        buf[n] = 0;
        buf[strcspn(buf, "\n")] = 0;
        snprintf(g_kmsg, sizeof(g_kmsg), "%s", buf + 2);
    }
}

int mountfd_new(const char *type, const char *source, unsigned long msflags, const char *data)
{
    g_kmsg[0] = 0;
    int fsfd = (int)syscall(SYS_fsopen, type, CT_FSOPEN_CLOEXEC);
    if (fsfd < 0)
        return -1;
    int r = source ? fsconfig_(fsfd, CT_FSCONFIG_SET_STRING, "source", source) : 0;
    /* Superblock flags: what mount(2) would have passed in sb_flags. */
    static const struct { unsigned long ms; const char *key; } sb[] = {
        {MS_RDONLY, "ro"}, {MS_SYNCHRONOUS, "sync"}, {MS_DIRSYNC, "dirsync"}, {MS_MANDLOCK, "mand"},
    };
    for (size_t i = 0; r == 0 && i < sizeof(sb) / sizeof(sb[0]); i++)
        if (msflags & sb[i].ms)
            r = fsconfig_(fsfd, CT_FSCONFIG_SET_FLAG, sb[i].key, NULL);
    /* The comma-separated options mount(2) took as data: "k=v" strings and bare flags. */
    char *copy = xstrdup(data ? data : ""), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); r == 0 && t; t = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(t, '=');
        if (eq)
            *eq = 0;
        r = fsconfig_(fsfd, eq ? CT_FSCONFIG_SET_STRING : CT_FSCONFIG_SET_FLAG, t, eq ? eq + 1 : NULL);
    }
    free(copy);
    if (r == 0)
        r = fsconfig_(fsfd, CT_FSCONFIG_CMD_CREATE, NULL, NULL);
    bool atime;
    int mfd = r == 0 ? (int)syscall(SYS_fsmount, fsfd, CT_FSMOUNT_CLOEXEC, attrs_of(msflags, &atime)) : -1;
    int e = errno;
    if (mfd < 0)
        save_kmsg(fsfd);
    close(fsfd);
    errno = e;
    return mfd;
}

void die_mount(const char *stage, const char *fmt, ...)
{
    int e = errno;
    char what[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (e == ENOSYS)
        die_msg(stage, "%s: this kernel lacks the new mount API (open_tree, move_mount, fsmount, "
                "mount_setattr: Linux 5.12 or later), through which every mount flag is set", what);
    errno = e;
    if (g_kmsg[0])
        die_errno(stage, "%s (%s)", what, g_kmsg);
    die_errno(stage, "%s", what);
}
