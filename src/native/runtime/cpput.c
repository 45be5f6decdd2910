/* cpput.c - `_cp put`: records from stdin (cpcmd.h) written below a directory of the container's
 * root (cpcmd.c enters the root first). Every parent is resolved in the root, every create is
 * relative to a directory fd with O_NOFOLLOW/O_EXCL, files appear whole (O_TMPFILE + link). */
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


/* ---------------------------------------------------------------- put: records from stdin */

struct in { char buf[1 << 16]; size_t len, pos; bool eof; };
static struct in g_in;

static int in_byte(void)
{
    if (g_in.pos == g_in.len) {
        if (g_in.eof)
            return -1;
        ssize_t k;
        do
            k = read(STDIN_FILENO, g_in.buf, sizeof(g_in.buf));
        while (k < 0 && errno == EINTR);
        if (k < 0)
            die_errno(STAGE, "read the archive");
        if (k == 0) {
            g_in.eof = true;
            return -1;
        }
        g_in.len = (size_t)k;
        g_in.pos = 0;
    }
    return (unsigned char)g_in.buf[g_in.pos++];
}

static size_t in_bytes(void *dst, size_t n)
{
    size_t got = 0;
    while (got < n) {
        if (g_in.pos == g_in.len && in_byte() >= 0)
            g_in.pos--; /* refilled: put the byte back */
        if (g_in.pos == g_in.len)
            break;
        size_t k = g_in.len - g_in.pos < n - got ? g_in.len - g_in.pos : n - got;
        memcpy((char *)dst + got, g_in.buf + g_in.pos, k);
        g_in.pos += k;
        got += k;
    }
    return got;
}

/* A NUL-terminated field; NULL at a clean end of input before its first byte. */
static char *in_field(void)
{
    size_t cap = 128, n = 0;
    char *f = xmalloc(cap);
    for (;;) {
        int c = in_byte();
        if (c < 0) {
            if (n == 0) {
                free(f);
                return NULL;
            }
            die_msg(STAGE, "truncated record");
        }
        if (n + 1 >= cap)
            f = xrealloc(f, cap *= 2);
        f[n++] = (char)c;
        if (c == 0)
            return f;
        if (n > 65536)
            die_msg(STAGE, "record field too long");
    }
}

struct dirtime { char *path; struct timespec t; };

struct put {
    int rootfd;
    const char *dest;      /* the destination dir, absolute, as given (re-resolved in the root) */
    bool mknod_ok;
    bool chown_all;
    uid_t uid;
    gid_t gid;
    struct dirtime *dirs;
    size_t ndirs, capdirs;
};

static void fail_line(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fail_line(const char *fmt, ...)
{
    char line[8300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    die_line(1, line);
}

static bool bad_rel(const char *rel)
{
    if (!*rel || rel[0] == '/')
        return true;
    for (const char *p = rel; *p;) {
        const char *s = p;
        while (*p && *p != '/')
            p++;
        if ((p - s == 2 && s[0] == '.' && s[1] == '.') || p - s == 0)
            return true;
        if (*p)
            p++;
    }
    return false;
}

/* The directory that will hold FULL's last component, resolved in the root (the container's own
 * symlinks followed, inside it, as docker's chrooted untar follows them), made when missing. */
static int parent_of(struct put *p, const char *full, const char **base)
{
    const char *slash = strrchr(full, '/');
    *base = slash + 1;
    char *dir = xasprintf("%.*s", (int)(slash - full + 1), full);
    int fd = resolve_in_root(p->rootfd, dir, O_DIRECTORY);
    if (fd < 0 && errno == ENOENT)
        fd = mkdirall_in_root(p->rootfd, dir, 0755, true);
    /* The destination was resolved and checked when the put began (op_put); a parent that cannot
     * be found or made now was swapped under us (a racing container): say so, never guess. */
    if (fd < 0)
        fail_line("%s changed in the container during the copy (mkdir %s: %s)", p->dest, dir, strerror(errno));
    free(dir);
    return fd;
}

/* Owner of NAME in FD, never following a symlink; with NAME "" of FD itself, then its mode (after
 * the chown, which clears setuid bits). Nodes and symlinks got their mode when they were made. */
static void set_owner(struct put *p, int fd, const char *name, const char *full, uid_t uid, gid_t gid, mode_t mode)
{
    if (p->chown_all)
        uid = p->uid, gid = p->gid;
    if (fchownat(fd, name, uid, gid, AT_SYMLINK_NOFOLLOW | (*name ? 0 : AT_EMPTY_PATH)) < 0)
        fail_line("lchown %s: %s", full, strerror(errno));
    if (!*name && fchmod(fd, mode & 07777) < 0)
        fail_line("chmod %s: %s", full, strerror(errno));
}

/* Copies SIZE bytes of payload into a new file that nobody can see until it is complete: an
 * O_TMPFILE in the directory, linked under its name at the end. A failed copy leaves no half file. */
static void put_file(struct put *p, int pfd, const char *base, const char *full, mode_t mode, uid_t uid, gid_t gid,
                     const struct timespec *t, unsigned long long size, bool replace)
{
    int fd = openat(pfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    char *tmp = NULL;
    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        /* No O_TMPFILE on this filesystem: a hidden name made with O_EXCL, renamed over at the end. */
        static unsigned n;
        tmp = xasprintf(".%s.ctui-cp-%d-%u", base, (int)getpid(), n++);
        fd = openat(pfd, tmp, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0600);
    }
    if (fd < 0)
        fail_line("create %s: %s", full, strerror(errno));
    char buf[1 << 16];
    for (unsigned long long done = 0; done < size;) {
        size_t want = size - done < sizeof(buf) ? (size_t)(size - done) : sizeof(buf);
        size_t got = in_bytes(buf, want);
        if (got != want)
            die_msg(STAGE, "truncated archive");
        if (write_all(fd, buf, got) < 0)
            fail_line("write %s: %s", full, strerror(errno));
        done += got;
    }
    if (p->chown_all)
        uid = p->uid, gid = p->gid;
    if (fchown(fd, uid, gid) < 0 || fchmod(fd, mode & 07777) < 0)
        fail_line("chown %s: %s", full, strerror(errno));
    struct timespec ts[2] = { t[0], t[1] };
    if (futimens(fd, ts) < 0)
        fail_line("chtimes %s: %s", full, strerror(errno));
    if (tmp) {
        if (renameat(pfd, tmp, pfd, base) < 0)
            fail_line("create %s: %s", full, strerror(errno));
        free(tmp);
    } else {
        if (replace && unlinkat(pfd, base, 0) < 0 && errno != ENOENT)
            fail_line("remove %s: %s", full, strerror(errno));
        if (linkat(fd, "", pfd, base, AT_EMPTY_PATH) < 0)
            fail_line("create %s: %s", full, strerror(errno));
    }
    close(fd);
}

/* One archive entry REL (relative to the destination; checked again here: no "..", not absolute).
 * The parent is resolved in the root; the entry itself is never followed: an existing non-dir is
 * removed and replaced (docker's rule), files appear whole (put_file), and nothing is ever
 * created by a path that a symlink could redirect outside the container. */
static void put_entry(struct put *p, char type, const char *rel, mode_t mode, uid_t uid, gid_t gid,
                      const struct timespec *t, const char *link, unsigned maj, unsigned min, unsigned long long size)
{
    if (!strcmp(rel, ".")) {
        if (type == 'd')
            return; /* the destination itself: docker leaves it as it is */
        fail_line("cannot overwrite directory \"%s\" with non-directory \"%s\"", p->dest, p->dest);
    }
    if (bad_rel(rel))
        fail_line("archive entry %s is outside of %s", rel, p->dest);
    char *full = xasprintf("%s%s%s", p->dest, strcmp(p->dest, "/") ? "/" : "", rel);
    const char *base;
    int pfd = parent_of(p, full, &base);
    struct stat st;
    bool exists = fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (exists && S_ISDIR(st.st_mode) && type != 'd')
        fail_line("cannot overwrite directory \"%s\" with non-directory \"%s\"", full, p->dest);
    if (exists && !S_ISDIR(st.st_mode) && type == 'd')
        fail_line("cannot overwrite non-directory \"%s\" with directory \"%s\"", full, p->dest);
    bool replace = exists && type != 'd';
    if (replace && type != 'f' && unlinkat(pfd, base, 0) < 0 && errno != ENOENT)
        fail_line("remove %s: %s", full, strerror(errno));
    switch (type) {
    case 'd': {
        if (!exists && mkdirat(pfd, base, 0700) < 0)
            fail_line("mkdir %s: %s", full, strerror(errno));
        int dfd = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dfd < 0)
            fail_line("open %s: %s", full, strerror(errno));
        set_owner(p, dfd, "", full, uid, gid, mode);
        close(dfd);
        if (p->ndirs == p->capdirs)
            p->dirs = xrealloc(p->dirs, (p->capdirs = p->capdirs ? p->capdirs * 2 : 32) * sizeof(*p->dirs));
        p->dirs[p->ndirs++] = (struct dirtime){ xstrdup(full), t[1] };
        break;
    }
    case 'f':
        put_file(p, pfd, base, full, mode, uid, gid, t, size, replace);
        break;
    case 'l':
        if (symlinkat(link, pfd, base) < 0)
            fail_line("symlink %s %s: %s", link, full, strerror(errno));
        set_owner(p, pfd, base, full, uid, gid, mode);
        break;
    case 'h': {
        /* The target is an earlier entry of this archive (the core checks that), found the same way. */
        char *tfull = xasprintf("%s%s%s", p->dest, strcmp(p->dest, "/") ? "/" : "", link);
        const char *tbase;
        int tfd = parent_of(p, tfull, &tbase);
        if (linkat(tfd, tbase, pfd, base, 0) < 0)
            fail_line("link %s %s: %s", tfull, full, strerror(errno));
        close(tfd);
        free(tfull);
        break;
    }
    case 'c':
    case 'b':
    case 'p':
        if (type != 'p' && !p->mknod_ok)
            fail_line("%s: device nodes cannot be copied into a container without CAP_MKNOD", full);
        if (mknodat(pfd, base, (type == 'c' ? S_IFCHR : type == 'b' ? S_IFBLK : S_IFIFO) | (mode & 07777),
                    type == 'p' ? 0 : makedev(maj, min)) < 0)
            fail_line("mknod %s: %s", full, strerror(errno));
        set_owner(p, pfd, base, full, uid, gid, mode);
        break;
    default:
        die_msg(STAGE, "unknown record type %c", type);
    }
    if (type != 'd' && type != 'f') {
        struct timespec ts[2] = { t[0], t[1] };
        utimensat(pfd, base, ts, AT_SYMLINK_NOFOLLOW);
    }
    close(pfd);
    free(full);
}

int cp_put(int rootfd, const char *dir, const char *chown_user, bool mknod_ok, bool ro_rootfs)
{
    char *abs = clean_path(dir);
    int dfd = resolve_in_root(rootfd, abs, 0);
    struct stat st, rst;
    if (dfd < 0 || fstat(dfd, &st) < 0)
        cp_not_found_or_die(abs);
    if (!S_ISDIR(st.st_mode))
        die_line(1, "extraction point is not a directory");
    /* docker's checks (daemon/archive.go): a destination on the rootfs of a --read-only container,
     * or in a read-only volume, is refused before anything is written. */
    struct statvfs vs;
    if (fstat(rootfd, &rst) < 0 || fstatvfs(dfd, &vs) < 0)
        die_errno(STAGE, "stat %s", abs);
    bool on_rootfs = st.st_dev == rst.st_dev;
    if (on_rootfs && ro_rootfs)
        die_line(1, "container rootfs is marked read-only");
    if (!on_rootfs && (vs.f_flag & ST_RDONLY))
        die_line(1, "mounted volume is marked read-only");
    close(dfd);
    struct put p = { .rootfd = rootfd, .dest = abs, .mknod_ok = mknod_ok };
    if (chown_user) {
        /* -a with a container user: docker chowns to that user, looked up in the container's own
         * /etc/passwd here (this process's root is the container's). */
        struct userdb_user u;
        char err[600];
        if (!userdb_lookup(chown_user, &u, err, sizeof(err)))
            die_line(1, err);
        p.chown_all = true;
        p.uid = u.uid;
        p.gid = u.gid;
    }
    umask(0);
    for (;;) {
        char *f[PUT_FIELDS];
        f[0] = in_field();
        if (!f[0])
            break;
        for (int i = 1; i < PUT_FIELDS; i++)
            if (!(f[i] = in_field()))
                die_msg(STAGE, "truncated record");
        struct timespec t[2] = { { strtoll(f[5], NULL, 10), 0 }, { strtoll(f[5], NULL, 10), 0 } };
        put_entry(&p, f[0][0], f[1], (mode_t)strtoul(f[2], NULL, 8), (uid_t)strtoul(f[3], NULL, 10),
                  (gid_t)strtoul(f[4], NULL, 10), t, f[6], (unsigned)strtoul(f[7], NULL, 10),
                  (unsigned)strtoul(f[8], NULL, 10), strtoull(f[9], NULL, 10));
        for (int i = 0; i < PUT_FIELDS; i++)
            free(f[i]);
    }
    /* Directory times last (their contents changed them), deepest first. */
    for (size_t i = p.ndirs; i-- > 0;) {
        char *full = p.dirs[i].path, *slash = strrchr(full, '/');
        char *dir = xasprintf("%.*s", (int)(slash - full + 1), full);
        int fd = resolve_in_root(rootfd, dir, O_DIRECTORY);
        int rfd = fd < 0 ? -1 : openat(fd, slash + 1, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        struct timespec ts[2] = { p.dirs[i].t, p.dirs[i].t };
        if (rfd >= 0) {
            futimens(rfd, ts);
            close(rfd);
        }
        if (fd >= 0)
            close(fd);
        free(dir);
    }
    return 0;
}

