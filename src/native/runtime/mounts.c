/* mounts.c - the container's mount table, up to pivot_root: private propagation, the rootfs
 * bound onto itself, config.mounts (binds, kernel filesystems, cgroupfs), /dev, the cwd. Every
 * destination is resolved inside the rootfs to an fd once (see resolve.c for why); each mount is
 * built detached, given its flags, attached onto that fd, and changed later only through its own
 * fd (see mountfd.c for why). What is protected after pivot_root is masks.c's. */
#include "mounts.h"
#include "devfs.h"
#include "cgroups.h"
#include "mountfd.h"
#include "resolve.h"
#include "overlay.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define STAGE "mounts"
#define PROPAGATION (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)

struct mopts {
    unsigned long flags;     /* mount(2) flags */
    unsigned long prop;      /* propagation change applied after mounting */
    bool bind, rec;
    char data[1024];         /* filesystem-specific options */
};

static const struct { const char *name; bool clear; unsigned long flag; } flag_names[] = {
    {"ro", false, MS_RDONLY}, {"rw", true, MS_RDONLY}, {"nosuid", false, MS_NOSUID},
    {"suid", true, MS_NOSUID}, {"nodev", false, MS_NODEV}, {"dev", true, MS_NODEV},
    {"noexec", false, MS_NOEXEC}, {"exec", true, MS_NOEXEC}, {"sync", false, MS_SYNCHRONOUS},
    {"async", true, MS_SYNCHRONOUS}, {"dirsync", false, MS_DIRSYNC}, {"remount", false, MS_REMOUNT},
    {"mand", false, MS_MANDLOCK}, {"nomand", true, MS_MANDLOCK}, {"atime", true, MS_NOATIME},
    {"noatime", false, MS_NOATIME}, {"diratime", true, MS_NODIRATIME},
    {"nodiratime", false, MS_NODIRATIME}, {"relatime", false, MS_RELATIME},
    {"norelatime", true, MS_RELATIME}, {"strictatime", false, MS_STRICTATIME},
    {"nostrictatime", true, MS_STRICTATIME},
};
static const struct { const char *name; unsigned long flag; } prop_names[] = {
    {"private", MS_PRIVATE}, {"rprivate", MS_PRIVATE | MS_REC}, {"shared", MS_SHARED},
    {"rshared", MS_SHARED | MS_REC}, {"slave", MS_SLAVE}, {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

static void parse_opts(const struct mount_cfg *m, struct mopts *o)
{
    memset(o, 0, sizeof(*o));
    for (size_t i = 0; i < m->n_options; i++) {
        const char *opt = m->options[i];
        bool done = false;
        for (size_t k = 0; !done && k < sizeof(flag_names) / sizeof(flag_names[0]); k++)
            if (!strcmp(opt, flag_names[k].name)) {
                if (flag_names[k].clear) o->flags &= ~flag_names[k].flag;
                else o->flags |= flag_names[k].flag;
                done = true;
            }
        for (size_t k = 0; !done && k < sizeof(prop_names) / sizeof(prop_names[0]); k++)
            if (!strcmp(opt, prop_names[k].name))
                o->prop = prop_names[k].flag, done = true;
        if (done)
            continue;
        if (!strcmp(opt, "bind") || !strcmp(opt, "rbind")) {
            o->bind = true;
            o->rec = opt[0] == 'r';
        } else if (!strcmp(opt, "z") || !strcmp(opt, "Z") || !strcmp(opt, "notmpcopyup")) {
            /* z/Z: SELinux relabel, and there is no SELinux here; notmpcopyup: what we do anyway */
            debug_msg("mount option %s: nothing to do", opt);
        } else if (!strcmp(opt, "tmpcopyup") || !strcmp(opt, "rro")) {
            /* crun's extensions: refused rather than dropped (the mount would not be what was asked) */
            die_msg(STAGE, "%s: mount option %s is not supported by ctui-runtime", m->dest, opt);
        } else if (!strcmp(opt, "idmap") || !strcmp(opt, "ridmap")) {
            die_msg(STAGE, "%s: idmapped mounts are not supported", m->dest);
        } else {
            size_t l = strlen(o->data);
            if (l + strlen(opt) + 2 > sizeof(o->data))
                die_msg(STAGE, "%s: mount options too long", m->dest);
            snprintf(o->data + l, sizeof(o->data) - l, "%s%s", l ? "," : "", opt);
        }
    }
    if (!strcmp(m->type, "bind"))
        o->bind = true;
}

/* runc's checkProcMount (CVE-2019-16884 / CVE-2019-19921): nothing but a real procfs
 * may be mounted at /proc, and nothing may be mounted over files inside /proc (e.g.
 * /proc/self/attr or /proc/sys) except the handful lxcfs emulates. */
static void check_proc_dest(const char *dest, const struct mount_cfg *m, const struct mopts *o)
{
    static const char *const ok[] = { "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo",
        "/proc/stat", "/proc/swaps", "/proc/uptime", "/proc/loadavg", "/proc/slabinfo",
        "/proc/sys/kernel/ns_last_pid", "/proc/sys/crypto/fips_enabled" };
    if (!strcmp(dest, "/proc")) {
        if (!o->bind && !strcmp(m->type, "proc"))
            return;
        struct statfs sf;
        if (o->bind && m->source && statfs(m->source, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC)
            return;
        die_msg(STAGE, "%s cannot be mounted because it is not of type proc", dest);
    }
    if (strncmp(dest, "/proc/", 6))
        return;
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        if (!strcmp(dest, ok[i]))
            return;
    die_msg(STAGE, "%s cannot be mounted because it is inside /proc", dest);
}

/* The literal destination is not where a mount lands when it contains symlinks: an
 * image's /etc/hostname -> /proc/sys/kernel/core_pattern would turn the hostname bind
 * into a mount over a /proc file (and a write to it into a host setting). So check the
 * path the resolved fd really points to, relative to the rootfs (readlink of
 * /proc/self/fd/N), and also what filesystem it is on - runc checks the resolved path. */
static void check_resolved_dest(int rootfd, int fd, const char *dest, const struct mount_cfg *m,
                                const struct mopts *o)
{
    char rp[32], fp[32], root[4096], got[4096];
    ssize_t rn = readlink(fdpath(rootfd, rp), root, sizeof(root) - 1);
    ssize_t fn = readlink(fdpath(fd, fp), got, sizeof(got) - 1);
    if (rn <= 0 || fn <= 0)
        die_errno(STAGE, "resolve mount destination %s", dest);
    root[rn] = 0;
    got[fn] = 0;
    const char *rel;
    if (!strcmp(root, "/"))
        rel = got;
    else if (!strncmp(got, root, (size_t)rn) && (got[rn] == '/' || !got[rn]))
        rel = got[rn] ? got + rn : "/";
    else
        die_msg(STAGE, "mount destination %s resolves outside the rootfs (%s)", dest, got);
    /* An image's "/data -> /" turns a volume at /data into a mount over the whole rootfs:
     * the image disappears under the volume and every later in-root resolution (and the
     * pivot_root) works on a covered tree. Refuse it (runc fails on it too). */
    if (!strcmp(rel, "/"))
        die_msg(STAGE, "mount destination %s resolves to the container's root, refusing", dest);
    if (strcmp(rel, dest))
        check_proc_dest(rel, m, o);
    struct statfs sf;
    if (fstatfs(fd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC && strncmp(rel, "/proc/", 6) != 0 &&
        strcmp(rel, "/proc"))
        die_msg(STAGE, "%s cannot be mounted because it resolves into a procfs (%s)", dest, rel);
}

/* Kernel filesystems and /dev must land exactly where the spec says: a symlink there
 * can only come from a hostile image ("/proc -> /", "/dev -> /etc"), so refuse it
 * rather than mount procfs/devtmpfs somewhere unexpected inside the container. */
static bool strict_dest(const char *dest, const char *type)
{
    static const char *const kfs[] = { "proc", "sysfs", "devpts", "mqueue", "cgroup", "cgroup2" };
    for (size_t i = 0; i < sizeof(kfs) / sizeof(kfs[0]); i++)
        if (!strcmp(type, kfs[i]))
            return true;
    return !strcmp(dest, "/dev") || !strncmp(dest, "/proc/", 6) || !strncmp(dest, "/sys/", 5) ||
           !strcmp(dest, "/proc") || !strcmp(dest, "/sys");
}

static int open_dest_dir(int rootfd, const char *dest, bool strict)
{
    int fd = mkdirall_in_root(rootfd, dest, 0755, !strict);
    if (fd < 0) {
        if (errno == ELOOP)
            die_msg(STAGE, "mount destination %s is or contains a symlink, refusing", dest);
        die_errno(STAGE, "create mount point %s", dest);
    }
    return fd;
}

/* Returns the fd of the new mount (for a later propagation change). */
static int mount_bind(const struct config *c, int rootfd, const struct mount_cfg *m,
                      const char *dest, const struct mopts *o)
{
    if (!m->source)
        die_msg(STAGE, "bind mount %s has no source", dest);
    char *src = m->source[0] == '/' ? xstrdup(m->source) : xasprintf("%s/%s", c->bundle, m->source);
    /* Pin the source once: the stat that picks dir-vs-file and the mount use the same
     * object, so it cannot be swapped between the two. */
    int sfd = open(src, O_PATH | O_CLOEXEC);
    struct stat sb;
    if (sfd < 0 || fstat(sfd, &sb) < 0)
        die_errno(STAGE, "bind source %s", src);
    bool strict = strict_dest(dest, "bind");
    int dfd;
    if (S_ISDIR(sb.st_mode)) {
        dfd = open_dest_dir(rootfd, dest, strict);
    } else {
        dfd = strict ? resolve_in_root_nofollow(rootfd, dest, 0) : -1;
        if (dfd < 0 && (!strict || errno == ENOENT))
            dfd = mkfile_in_root(rootfd, dest, 0644);
        if (dfd < 0)
            die_errno(STAGE, "create mount point %s", dest);
    }
    check_resolved_dest(rootfd, dfd, dest, m, o);
    /* A detached copy of the pinned source; "ro", "nosuid"... go on that copy before it is
     * attached, so the container never sees the bind writable, and they cannot land on any
     * other mount: the fd names this one alone (the old remount re-resolved DEST by path, and
     * a racing rename in a shared volume could point it elsewhere). */
    int mfd = mountfd_clone(sfd, o->rec);
    if (mfd < 0)
        die_mount(STAGE, "bind %s on %s", src, dest);
    if (mountfd_set_flags(mfd, o->flags) < 0)
        die_mount(STAGE, "set flags of %s", dest);
    if (mountfd_attach(mfd, dfd, NULL) < 0)
        die_mount(STAGE, "bind %s on %s", src, dest);
    close(sfd);
    close(dfd);
    free(src);
    return mfd;
}

/* A filesystem (tmpfs, proc, sysfs, ...) built detached with its flags and attached onto the
 * resolved destination FD. Returns the new mount's fd. */
static int mount_fs(const char *type, const char *source, unsigned long flags, const char *data, int fd,
                    const char *what)
{
    int mfd = mountfd_new(type, source, flags, data);
    if (mfd < 0 || mountfd_attach(mfd, fd, NULL) < 0)
        die_mount(STAGE, "mount %s on %s", type, what);
    return mfd;
}

/* The bind of SRCFD (a host cgroup dir) onto FD, with FLAGS set before it is
 * attached. Returns the new mount's fd. */
static int bind_fd(int srcfd, int fd, unsigned long flags, const char *what)
{
    int mfd = mountfd_clone(srcfd, false);
    if (mfd < 0 || mountfd_set_flags(mfd, flags) < 0 || mountfd_attach(mfd, fd, NULL) < 0)
        die_mount(STAGE, "bind mount on %s", what);
    return mfd;
}

static int mount_cgroup(const struct config *c, int rootfd, const char *dest, const struct mopts *o);

static void mount_one(const struct config *c, int rootfd, const struct mount_cfg *m)
{
    char *dest = clean_path(m->dest);
    struct mopts o;
    parse_opts(m, &o);
    if (!strcmp(dest, "/"))
        die_msg(STAGE, "refusing to mount over the container's root");
    check_proc_dest(dest, m, &o);
    int mfd;
    if (!strcmp(m->type, "cgroup") || (!strcmp(m->type, "cgroup2") && !o.bind)) {
        mfd = mount_cgroup(c, rootfd, dest, &o);
    } else if (o.bind) {
        mfd = mount_bind(c, rootfd, m, dest, &o);
    } else {
        int fd = open_dest_dir(rootfd, dest, strict_dest(dest, m->type));
        check_resolved_dest(rootfd, fd, dest, m, &o);
        if (o.flags & MS_REMOUNT) {
            /* "remount": change the flags of what is mounted at DEST (the resolved fd is
             * that mount's root, or mount_setattr refuses it), mounting nothing. */
            if (mountfd_set_flags(fd, o.flags) < 0)
                die_mount(STAGE, "remount %s", dest);
            mfd = fd;
        } else {
            mfd = mount_fs(m->type, m->source ? m->source : m->type, o.flags, o.data, fd, dest);
            close(fd);
        }
    }
    /* Propagation through the new mount's own fd: never a second lookup of DEST. */
    if (o.prop && mountfd_set_propagation(mfd, o.prop) < 0)
        die_mount(STAGE, "make %s %s", dest, (o.prop & MS_SHARED) ? "shared" : (o.prop & MS_SLAVE) ? "slave"
                  : (o.prop & MS_PRIVATE) ? "private" : "unbindable");
    close(mfd);
    free(dest);
}

/* /sys/fs/cgroup: on v1 a tmpfs holding one cgroup mount per hierarchy we joined, made
 * inside the container's cgroup namespace so each shows only the container's cgroup. Returns
 * the fd of the mount at DEST. */
static int mount_cgroup(const struct config *c, int rootfd, const char *dest, const struct mopts *o)
{
    unsigned long fl = (o->flags | MS_NOSUID | MS_NODEV | MS_NOEXEC) & ~MS_REMOUNT;
    bool cgns = config_ns(c, CLONE_NEWCGROUP) != NULL;
    int fd = open_dest_dir(rootfd, dest, true);
    int mfd;
    if (cgroups_mode() == CG_V2) {
        if (cgns) {
            mfd = mount_fs("cgroup2", "cgroup2", fl, NULL, fd, dest);
        } else { /* no cgroupns: bind just our own cgroup dir */
            char *h = cgroups_host_dir(c->cgroups_path, NULL);
            int sfd = open(h, O_PATH | O_DIRECTORY | O_CLOEXEC);
            if (sfd < 0)
                die_errno(STAGE, "open %s", h);
            mfd = bind_fd(sfd, fd, fl, dest);
            close(sfd);
            free(h);
        }
        close(fd);
        return mfd;
    }
    /* Writable until populated; everything below is made through TMP, the tmpfs's own root,
     * never by looking DEST up again. */
    int tmp = mount_fs("tmpfs", "tmpfs", fl & ~MS_RDONLY, "mode=755", fd, dest);
    close(fd);
    struct cg_hier h[16];
    size_t n = cgroups_mode() == CG_V1 ? cgroups_v1_hierarchies(h, 16) : 0;
    for (size_t i = 0; i < n; i++) {
        if (mkdirat(tmp, h[i].dir, 0755) < 0 && errno != EEXIST)
            die_errno(STAGE, "mkdir %s/%s", dest, h[i].dir);
        int sub = openat(tmp, h[i].dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0)
            die_errno(STAGE, "open %s/%s", dest, h[i].dir);
        char *what = xasprintf("%s/%s", dest, h[i].dir);
        int cg;
        if (cgns) {
            cg = mount_fs("cgroup", "cgroup", fl, h[i].opts, sub, what);
        } else {
            char *hd = cgroups_host_dir(c->cgroups_path, h[i].dir);
            int sfd = open(hd, O_PATH | O_DIRECTORY | O_CLOEXEC);
            if (sfd < 0)
                die_errno(STAGE, "open %s", hd);
            cg = bind_fd(sfd, sub, fl, what);
            close(sfd);
            free(hd);
        }
        close(cg);
        /* comounted hierarchies ("cpu,cpuacct"): per-controller symlinks like the host */
        if (strchr(h[i].dir, ',')) {
            char t[sizeof(h[i].dir)], *save = NULL;
            memcpy(t, h[i].dir, sizeof(t));
            for (char *k = strtok_r(t, ",", &save); k; k = strtok_r(NULL, ",", &save))
                if (symlinkat(h[i].dir, tmp, k) < 0 && errno != EEXIST)
                    die_errno(STAGE, "symlink %s/%s", dest, k);
        }
        free(what);
        close(sub);
    }
    /* The tmpfs itself read-only too, through its fd. */
    if ((fl & MS_RDONLY) && mountfd_set_flags(tmp, fl) < 0)
        die_mount(STAGE, "make %s read-only", dest);
    return tmp;
}

static unsigned long root_propagation(const struct config *c)
{
    const char *p = c->rootfs_propagation;
    if (!p || !*p)
        return MS_PRIVATE | MS_REC;
    for (size_t k = 0; k < sizeof(prop_names) / sizeof(prop_names[0]); k++)
        if (!strcmp(p, prop_names[k].name))
            /* unbindable: an unbindable tree cannot be bind-mounted, not even the rootfs onto
             * itself; set up private (nothing propagates either way), made unbindable after
             * pivot_root (masks.c), as crun does. runc fails such a create with EINVAL. */
            return (prop_names[k].flag & MS_UNBINDABLE ? MS_PRIVATE : prop_names[k].flag) | MS_REC;
    die_msg(STAGE, "unknown rootfsPropagation %s", p);
}

/* An fd of the root of the mount that holds PATH (mount_setattr only takes a mount's root): walk
 * up from PATH while ".." is on the same mount (statx's mount id). */
static int containing_mount_root(const char *path)
{
    int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    for (int depth = 0; fd >= 0 && depth < 4096; depth++) {
        struct statx a, b;
        int up = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (up < 0 || statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &a) < 0 || statx(up, "", AT_EMPTY_PATH, STATX_MNT_ID, &b) < 0
            || !(a.stx_mask & STATX_MNT_ID)) {
            if (up >= 0)
                close(up);
            close(fd);
            return -1;
        }
        struct stat sa, sb;
        bool top = a.stx_mnt_id != b.stx_mnt_id || (fstat(fd, &sa) == 0 && fstat(up, &sb) == 0 && sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev);
        if (top) {
            close(up);
            return fd;
        }
        close(fd);
        fd = up;
    }
    return -1;
}

int mounts_prepare_rootfs(const struct config *c)
{
    unsigned long prop = root_propagation(c);
    if (!(prop & MS_SHARED)) {
        /* Nothing we mount from here on may propagate back into the host's namespace. */
        if (mount(NULL, "/", NULL, prop, NULL) < 0)
            die_errno(STAGE, "make / %s", c->rootfs_propagation ? c->rootfs_propagation : "rprivate");
    } else {
        /* rshared (a bind asked for shared propagation): the copied mounts keep their peer groups
         * with the host, so a bind of a shared source joins the source's group and mounts go both
         * ways, as with runc. What keeps the container's own mounts (the overlay rootfs, /proc,
         * /dev, ...) off the host is the mount that holds the rootfs: made private (that mount
         * only, through an fd of the rootfs dir: the containing mount), everything mounted below
         * it starts private, and pivot_root accepts it (runc's rootfsParentMountPrivate). The
         * new root is made shared after the pivot (masks.c). */
        int pfd = containing_mount_root(c->rootfs);
        if (pfd < 0 || mountfd_set_propagation(pfd, MS_PRIVATE) < 0)
            die_mount(STAGE, "make the mount holding %s private", c->rootfs);
        close(pfd);
    }
    /* The overlay rootfs, mounted here in the container's private mount namespace (made
     * private just above, so the host never sees it): it goes away with the namespace. */
    const char *lower = config_annotation(c, ANN_ROOTFS_LOWER);
    if (lower && overlay_mount(config_annotation(c, ANN_ROOTFS_CWD), lower, config_annotation(c, ANN_ROOTFS_UPPER),
                               config_annotation(c, ANN_ROOTFS_WORK), c->rootfs) < 0)
        die_errno(STAGE, "mount overlay rootfs on %s", c->rootfs);
    /* pivot_root needs the new root to be a mount point: bind the rootfs onto itself. The
     * fd of that bind is the root every destination is resolved from (not a re-open of the
     * path, which would be a second lookup). */
    int dir = open(c->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        die_errno(STAGE, "open rootfs %s", c->rootfs);
    int rootfd = mountfd_clone(dir, true);
    if (rootfd < 0 || mountfd_attach(rootfd, dir, NULL) < 0)
        die_mount(STAGE, "bind rootfs %s", c->rootfs);
    close(dir);
    for (size_t i = 0; i < c->n_mounts; i++)
        mount_one(c, rootfd, &c->mounts[i]);
    devfs_populate(c, rootfd);
    /* process.cwd: created like runc does (before the root may go read-only). */
    int cwd = mkdirall_in_root(rootfd, c->cwd, 0755, true);
    if (cwd < 0)
        die_errno(STAGE, "create cwd %s", c->cwd);
    close(cwd);
    return rootfd;
}

void mounts_pivot_root(int rootfd)
{
    /* pivot_root(".", ".") (from LXC, used by runc): new root and old root stacked on
     * the same directory; unmounting "." afterwards detaches the whole host tree, so
     * unlike chroot nothing of the host stays reachable (no chroot-escape via fds/..). */
    int oldroot = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (oldroot < 0)
        die_errno(STAGE, "open /");
    if (fchdir(rootfd) < 0)
        die_errno(STAGE, "chdir to rootfs");
    if (syscall(SYS_pivot_root, ".", ".") < 0)
        die_errno(STAGE, "pivot_root");
    if (fchdir(oldroot) < 0)
        die_errno(STAGE, "fchdir old root");
    /* rslave first so the detach below cannot propagate unmounts to the host. */
    if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
        die_errno(STAGE, "make old root rslave");
    if (umount2(".", MNT_DETACH) < 0)
        die_errno(STAGE, "detach old root");
    if (chdir("/") < 0)
        die_errno(STAGE, "chdir /");
    close(oldroot);
    close(rootfd);
}
