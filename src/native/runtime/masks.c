/* masks.c - after pivot_root, what the container must not change or see: readonlyPaths
 * (bound onto themselves read-only), maskedPaths (host information the kernel does not namespace,
 * covered by /dev/null or an empty read-only tmpfs), a read-only root, and the console bound over
 * /dev/console. Paths are resolved inside the new root once, never followed out of it; every
 * flag is set through the fd of the mount it belongs to (see mountfd.c). */
#include "mounts.h"
#include "mountfd.h"
#include "resolve.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define STAGE "mounts"

static int g_newroot = -1;

static int newroot(void)
{
    if (g_newroot < 0 && (g_newroot = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
        die_errno(STAGE, "open /");
    return g_newroot;
}

static void readonly_path(const char *path)
{
    int fd = resolve_in_root(newroot(), path, 0);
    if (fd < 0) {
        if (errno == ENOENT)
            return;
        die_errno(STAGE, "readonly path %s", path);
    }
    /* A copy of what is at PATH, made read-only while still detached and then attached over
     * it: the flags cannot reach any other mount (a second lookup of PATH after the bind
     * could have been renamed onto another one). The top mount only, as runc's remount. */
    int mfd = mountfd_clone(fd, true);
    if (mfd < 0 || mountfd_set_flags(mfd, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC) < 0 ||
        mountfd_attach(mfd, fd, NULL) < 0)
        die_mount(STAGE, "readonly path %s", path);
    close(mfd);
    close(fd);
}

/* maskedPaths hide host information that the kernel does not namespace (/proc/kcore,
 * /proc/keys, /sys/firmware, ...). */
static void mask_path(const char *path, int devnull)
{
    int fd = resolve_in_root(newroot(), path, 0);
    if (fd < 0) {
        if (errno == ENOENT)
            return;
        die_errno(STAGE, "masked path %s", path);
    }
    struct stat sb;
    if (fstat(fd, &sb) < 0)
        die_errno(STAGE, "stat %s", path);
    int mfd;
    if (S_ISDIR(sb.st_mode)) {
        mfd = mountfd_new("tmpfs", "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    } else {
        if (devnull < 0)
            die_msg(STAGE, "masked path %s: /dev/null is not available", path);
        mfd = mountfd_clone(devnull, false);
    }
    if (mfd < 0 || mountfd_attach(mfd, fd, NULL) < 0)
        die_mount(STAGE, "masked path %s", path);
    close(mfd);
    close(fd);
}

static int open_devnull(void)
{
    /* Must really be the null device: an image-provided /dev/null (when /dev is not our
     * tmpfs) could be a regular file whose content would then show through masks. */
    int fd = open("/dev/null", O_PATH | O_NOFOLLOW | O_CLOEXEC);
    struct stat sb;
    if (fd >= 0 && (fstat(fd, &sb) < 0 || !S_ISCHR(sb.st_mode) || sb.st_rdev != makedev(1, 3))) {
        close(fd);
        fd = -1;
    }
    return fd;
}

void mounts_finalize(const struct config *c)
{
    for (size_t i = 0; i < c->n_readonly; i++)
        readonly_path(c->readonly[i]);
    if (c->n_masked) {
        int devnull = open_devnull();
        for (size_t i = 0; i < c->n_masked; i++)
            mask_path(c->masked[i], devnull);
        if (devnull >= 0)
            close(devnull);
    }
    /* newroot() is "/" opened after pivot_root: the root of the rootfs bind itself (the
     * process's root, not a name a rename could move), so both changes go through it. */
    if (c->root_readonly && mountfd_set_flags(newroot(), MS_RDONLY) < 0)
        die_mount(STAGE, "remount / read-only");
    if (c->rootfs_propagation && strstr(c->rootfs_propagation, "shared") &&
        mountfd_set_propagation(newroot(), MS_SHARED | MS_REC) < 0)
        die_mount(STAGE, "make / %s", c->rootfs_propagation);
    if (c->rootfs_propagation && strstr(c->rootfs_propagation, "unbindable") &&
        mountfd_set_propagation(newroot(), MS_UNBINDABLE | MS_REC) < 0)
        die_mount(STAGE, "make / %s", c->rootfs_propagation);
    if (g_newroot >= 0)
        close(g_newroot), g_newroot = -1;
}

void mounts_bind_console(int slave_fd)
{
    int t = mkfile_in_root(newroot(), "/dev/console", 0666);
    if (t < 0)
        die_errno("console", "create /dev/console");
    int mfd = mountfd_clone(slave_fd, false);
    if (mfd < 0 || mountfd_attach(mfd, t, NULL) < 0)
        die_mount("console", "bind pty over /dev/console");
    close(mfd);
    close(t);
}
