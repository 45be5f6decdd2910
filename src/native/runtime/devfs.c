/* devfs.c - the container's /dev: when config mounts a tmpfs there, only the nodes the config
 * lists (plus the six docker always gives: null zero full random urandom tty) are created, so no
 * host device is reachable; the usual symlinks (fd, stdin..., ptmx -> pts/ptmx) complete it. */
#include "devfs.h"
#include "mountfd.h"
#include "resolve.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define STAGE "mounts"

struct devnode { const char *path; char type; unsigned maj, min; mode_t mode; uid_t uid; gid_t gid; };
static const struct devnode default_nodes[] = {
    {"/dev/null", 'c', 1, 3, 0666, 0, 0}, {"/dev/zero", 'c', 1, 5, 0666, 0, 0},
    {"/dev/full", 'c', 1, 7, 0666, 0, 0}, {"/dev/random", 'c', 1, 8, 0666, 0, 0},
    {"/dev/urandom", 'c', 1, 9, 0666, 0, 0}, {"/dev/tty", 'c', 5, 0, 0666, 0, 0},
};

static void make_node(int rootfd, const struct devnode *d)
{
    char *path = clean_path(d->path);
    if (strncmp(path, "/dev/", 5))
        die_msg(STAGE, "device %s is not under /dev", d->path);
    char *slash = strrchr(path, '/');
    *slash = 0;
    const char *base = slash + 1;
    int dir = mkdirall_in_root(rootfd, path, 0755, false);
    if (dir < 0)
        die_errno(STAGE, "create %s", path);
    mode_t type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
    if (mknodat(dir, base, type | (d->mode & 07777), makedev(d->maj, d->min)) == 0) {
        if (fchownat(dir, base, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
            die_errno(STAGE, "chown %s", d->path);
    } else if (errno == EPERM && type != S_IFIFO) {
        /* No CAP_MKNOD (e.g. nested): bind the host's node over an empty file. */
        int f = openat(dir, base, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0);
        if (f < 0)
            die_errno(STAGE, "create %s", d->path);
        close(f);
        int t = openat(dir, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        int s = open(d->path, O_PATH | O_CLOEXEC);
        struct stat sb;
        if (t < 0 || s < 0 || fstat(s, &sb) < 0 || (sb.st_mode & S_IFMT) != type ||
            sb.st_rdev != makedev(d->maj, d->min))
            die_msg(STAGE, "cannot mknod %s and the host has no matching node", d->path);
        int m = mountfd_clone(s, false);
        if (m < 0 || mountfd_attach(m, t, NULL) < 0)
            die_mount(STAGE, "bind %s", d->path);
        close(m);
        close(s);
        close(t);
    } else if (errno != EEXIST) {
        die_errno(STAGE, "mknod %s", d->path);
    }
    close(dir);
    free(path);
}

static bool dev_is_tmpfs(const struct config *c)
{
    for (size_t i = 0; i < c->n_mounts; i++) {
        char *d = clean_path(c->mounts[i].dest);
        bool hit = !strcmp(d, "/dev") && !strcmp(c->mounts[i].type, "tmpfs");
        free(d);
        if (hit)
            return true;
    }
    return false;
}

void devfs_populate(const struct config *c, int rootfd)
{
    if (!dev_is_tmpfs(c))
        return; /* /dev comes from the image or a bind: leave it alone */
    for (size_t i = 0; i < sizeof(default_nodes) / sizeof(default_nodes[0]); i++) {
        bool overridden = false;
        for (size_t k = 0; k < c->n_devices; k++)
            if (!strcmp(c->devices[k].path, default_nodes[i].path))
                overridden = true;
        if (!overridden)
            make_node(rootfd, &default_nodes[i]);
    }
    for (size_t k = 0; k < c->n_devices; k++) {
        const struct device_cfg *d = &c->devices[k];
        struct devnode n = { d->path, d->type == 'u' ? 'c' : d->type, (unsigned)d->major,
                             (unsigned)d->minor, d->has_mode ? d->mode : 0666, d->uid, d->gid };
        make_node(rootfd, &n);
    }
    int dev = resolve_in_root_nofollow(rootfd, "/dev", O_DIRECTORY);
    if (dev < 0)
        die_errno(STAGE, "open /dev");
    static const char *const links[][2] = {
        {"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"},
        {"/proc/self/fd/2", "stderr"}, {"pts/ptmx", "ptmx"}, {"/proc/kcore", "core"},
    };
    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
        if (!strcmp(links[i][1], "ptmx"))
            unlinkat(dev, "ptmx", 0); /* prefer the per-container devpts instance */
        if (symlinkat(links[i][0], dev, links[i][1]) < 0 && errno != EEXIST)
            die_errno(STAGE, "symlink /dev/%s", links[i][1]);
    }
    close(dev);
}
