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
 * container's device cgroup). Writing: see put_entry(). */
#include "cpcmd.h"
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

#define STAGE "cp"
#define EXIT_NOT_THERE 2 /* the path does not exist: the caller says docker's "No such container:path" */

/* The host's /proc, opened before entering: the only way back to a file by its fd ("self/fd/N")
 * once the container's root is ours. Only ever used with that fixed name. */
static int g_procfd = -1;

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

static void not_found_or_die(const char *abs)
{
    if (errno == ENOENT)
        die_line(EXIT_NOT_THERE, "not found");
    char line[4200];
    snprintf(line, sizeof(line), "lstat %s: %s", abs, strerror(errno));
    die_line(1, line);
}

/* PATH made absolute and resolved (resolve_src), or the process ends with the caller's message. */
static char *resolve_or_die(int rootfd, const char *path, int *pfd, char **name, struct stat *st)
{
    char *abs = abs_path(path);
    if (resolve_src(rootfd, abs, pfd, name, st) < 0)
        not_found_or_die(abs);
    return abs;
}

/* ---------------------------------------------------------------- stat */

static int op_stat(int rootfd, const char *path)
{
    int pfd;
    char *name;
    struct stat st;
    resolve_or_die(rootfd, path, &pfd, &name, &st);
    char link[4096] = "";
    if (S_ISLNK(st.st_mode)) {
        ssize_t n = readlinkat(pfd, name, link, sizeof(link) - 1);
        link[n > 0 ? n : 0] = 0;
    }
    printf("mode %o\nsize %lld\nmtime %lld\nlink %s\n", (unsigned)st.st_mode, (long long)st.st_size,
           (long long)st.st_mtim.tv_sec, link);
    return fflush(stdout) == 0 ? 0 : 1;
}

/* ---------------------------------------------------------------- get: a tar on stdout */

static char g_out[1 << 16];
static size_t g_outn;

static void out_flush(void)
{
    if (g_outn && write_all(STDOUT_FILENO, g_out, g_outn) < 0)
        die_errno(STAGE, "write the archive");
    g_outn = 0;
}

static void out_write(const void *p, size_t len)
{
    const char *s = p;
    while (len) {
        size_t k = sizeof(g_out) - g_outn < len ? sizeof(g_out) - g_outn : len;
        memcpy(g_out + g_outn, s, k);
        g_outn += k;
        s += k;
        len -= k;
        if (g_outn == sizeof(g_out))
            out_flush();
    }
}

static void out_zeros(size_t n)
{
    static const char zero[512];
    while (n) {
        size_t k = n < sizeof(zero) ? n : sizeof(zero);
        out_write(zero, k);
        n -= k;
    }
}

/* WIDTH-1 zero-padded octal digits and a NUL (callers keep V within range). */
static void octal(char *dst, size_t width, unsigned long long v)
{
    dst[width - 1] = 0;
    for (size_t i = width - 1; i-- > 0; v >>= 3)
        dst[i] = (char)('0' + (v & 7));
}

/* One PAX record "LEN key=value\n", LEN counting itself. */
static void pax_add(char **buf, size_t *len, const char *key, const char *val)
{
    size_t body = strlen(key) + strlen(val) + 3; /* ' ', '=', '\n' */
    size_t n = body + 1;
    for (;;) {
        int digits = snprintf(NULL, 0, "%zu", n);
        if (body + (size_t)digits == n)
            break;
        n = body + (size_t)digits;
    }
    *buf = xrealloc(*buf, *len + n + 1);
    snprintf(*buf + *len, n + 1, "%zu %s=%s\n", n, key, val);
    *len += n;
}

static void ustar(const char *name, char type, const struct stat *st, unsigned long long size, const char *link)
{
    char h[512];
    memset(h, 0, sizeof(h));
    snprintf(h, 100, "%s", name);
    octal(h + 100, 8, st->st_mode & 07777);
    octal(h + 108, 8, st->st_uid > 07777777 ? 0 : st->st_uid);
    octal(h + 116, 8, st->st_gid > 07777777 ? 0 : st->st_gid);
    octal(h + 124, 12, size > 077777777777ULL ? 0 : size);
    octal(h + 136, 12, st->st_mtim.tv_sec < 0 || st->st_mtim.tv_sec > 077777777777LL ? 0 : (unsigned long long)st->st_mtim.tv_sec);
    memset(h + 148, ' ', 8);
    h[156] = type;
    if (link)
        snprintf(h + 157, 100, "%s", link);
    memcpy(h + 257, "ustar\0" "00", 8);
    if (type == '3' || type == '4') {
        octal(h + 329, 8, major(st->st_rdev) & 07777777);
        octal(h + 337, 8, minor(st->st_rdev) & 07777777);
    }
    unsigned sum = 0;
    for (size_t i = 0; i < sizeof(h); i++)
        sum += (unsigned char)h[i];
    snprintf(h + 148, 8, "%06o", sum);
    out_write(h, sizeof(h));
}

/* A header, with a PAX record first when a name, link or number does not fit ustar's fields. */
static void tar_header(const char *name, char type, const struct stat *st, unsigned long long size, const char *link)
{
    char *pax = NULL;
    size_t plen = 0;
    char num[32];
    if (strlen(name) >= 100)
        pax_add(&pax, &plen, "path", name);
    if (link && strlen(link) >= 100)
        pax_add(&pax, &plen, "linkpath", link);
    if (size > 077777777777ULL) {
        snprintf(num, sizeof(num), "%llu", size);
        pax_add(&pax, &plen, "size", num);
    }
    if (st->st_uid > 07777777) {
        snprintf(num, sizeof(num), "%u", (unsigned)st->st_uid);
        pax_add(&pax, &plen, "uid", num);
    }
    if (st->st_gid > 07777777) {
        snprintf(num, sizeof(num), "%u", (unsigned)st->st_gid);
        pax_add(&pax, &plen, "gid", num);
    }
    if (pax) {
        struct stat ps = *st;
        ps.st_mode = 0644;
        ps.st_uid = ps.st_gid = 0;
        ustar("././@PaxHeader", 'x', &ps, plen, NULL);
        out_write(pax, plen);
        out_zeros((512 - plen % 512) % 512);
        free(pax);
    }
    ustar(name, type, st, size, link);
}

struct seen { dev_t dev; ino_t ino; char *name; };
static struct seen *g_seen;
static size_t g_nseen, g_capseen;

/* The archive name of the first file with this inode, for hard links (docker's tar does the same). */
static const char *first_link(const struct stat *st, const char *name)
{
    for (size_t i = 0; i < g_nseen; i++)
        if (g_seen[i].dev == st->st_dev && g_seen[i].ino == st->st_ino)
            return g_seen[i].name;
    if (g_nseen == g_capseen) {
        g_capseen = g_capseen ? g_capseen * 2 : 64;
        g_seen = xrealloc(g_seen, g_capseen * sizeof(*g_seen));
    }
    g_seen[g_nseen++] = (struct seen){ st->st_dev, st->st_ino, xstrdup(name) };
    return NULL;
}

/* Reopens the O_PATH fd FD for reading, through the host's /proc: the file we already hold, never a
 * new lookup of a name the container can change. */
static int reopen(int fd, int flags)
{
    char p[32];
    snprintf(p, sizeof(p), "self/fd/%d", fd);
    return openat(g_procfd, p, flags | O_CLOEXEC);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void emit(int pfd, const char *name, const char *arch);

static void emit_dir_contents(int dfd, const char *arch)
{
    int lfd = reopen(dfd, O_RDONLY | O_DIRECTORY);
    DIR *d = lfd < 0 ? NULL : fdopendir(lfd);
    if (!d)
        die_errno(STAGE, "read directory %s", arch);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((errno = 0, de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (n == cap)
            names = xrealloc(names, (cap = cap ? cap * 2 : 32) * sizeof(*names));
        names[n++] = xstrdup(de->d_name);
    }
    if (errno)
        die_errno(STAGE, "read directory %s", arch);
    closedir(d);
    qsort(names, n, sizeof(*names), cmp_names); /* deterministic, as docker's walk */
    size_t al = strlen(arch);
    for (size_t i = 0; i < n; i++) {
        char *child = xasprintf("%s%s%s", arch, al && arch[al - 1] == '/' ? "" : "/", names[i]);
        emit(dfd, names[i], child);
        free(child);
        free(names[i]);
    }
    free(names);
}

static void emit_file(int fd, const struct stat *st, const char *arch)
{
    const char *prev = st->st_nlink > 1 ? first_link(st, arch) : NULL;
    if (prev) {
        tar_header(arch, '1', st, 0, prev);
        return;
    }
    int rfd = reopen(fd, O_RDONLY | O_NOCTTY | O_NONBLOCK);
    if (rfd < 0)
        die_errno(STAGE, "open %s", arch);
    unsigned long long size = (unsigned long long)st->st_size;
    tar_header(arch, '0', st, size, NULL);
    /* Exactly the size in the header, whatever the file does meanwhile: zeros if it shrank. */
    char buf[1 << 16];
    unsigned long long done = 0;
    while (done < size) {
        size_t want = size - done < sizeof(buf) ? (size_t)(size - done) : sizeof(buf);
        ssize_t k = read(rfd, buf, want);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            die_errno(STAGE, "read %s", arch);
        if (k == 0)
            break;
        out_write(buf, (size_t)k);
        done += (unsigned long long)k;
    }
    out_zeros((size_t)(size - done));
    out_zeros((512 - size % 512) % 512);
    close(rfd);
}

/* One entry NAME of the directory PFD (or PFD itself when NAME is NULL), archived as ARCH. */
static void emit(int pfd, const char *name, const char *arch)
{
    /* O_PATH | O_NOFOLLOW opens the entry itself - a symlink stays a symlink, a device or fifo is
     * not opened - and the type comes from that fd, so what we archive is what we hold. */
    int fd = name ? openat(pfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC) : dup(pfd);
    struct stat st;
    if (fd < 0) {
        if (errno == ENOENT)
            return; /* removed since the directory was read */
        die_errno(STAGE, "open %s", arch);
    }
    if (fstat(fd, &st) < 0)
        die_errno(STAGE, "stat %s", arch);
    if (S_ISDIR(st.st_mode)) {
        size_t al = strlen(arch);
        char *dn = al && arch[al - 1] == '/' ? xstrdup(arch) : xasprintf("%s/", arch);
        tar_header(dn, '5', &st, 0, NULL);
        free(dn);
        emit_dir_contents(fd, arch);
    } else if (S_ISREG(st.st_mode)) {
        emit_file(fd, &st, arch);
    } else if (S_ISLNK(st.st_mode)) {
        char link[4096];
        ssize_t n = readlinkat(fd, "", link, sizeof(link) - 1);
        if (n < 0)
            die_errno(STAGE, "readlink %s", arch);
        link[n] = 0;
        tar_header(arch, '2', &st, 0, link);
    } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISFIFO(st.st_mode)) {
        tar_header(arch, S_ISCHR(st.st_mode) ? '3' : S_ISBLK(st.st_mode) ? '4' : '6', &st, 0, NULL);
    } /* sockets: not archivable, left out as docker's tar does */
    close(fd);
}

/* The first name in the archive, as docker's rebase gives it: "." for "dir/.", "/" for the root,
 * else the last component of the path as asked (not of what a symlink resolved to). */
static char *archive_root_name(const char *abs)
{
    size_t n = strlen(abs);
    if (n >= 2 && abs[n - 1] == '.' && abs[n - 2] == '/')
        return xstrdup(".");
    char *c = clean_path(abs);
    if (!strcmp(c, "/"))
        return c;
    char *r = xstrdup(strrchr(c, '/') + 1);
    free(c);
    return r;
}

static int op_get(int rootfd, const char *path)
{
    int pfd;
    char *name;
    struct stat st;
    char *abs = resolve_or_die(rootfd, path, &pfd, &name, &st);
    char *arch = archive_root_name(abs);
    emit(pfd, name, arch);
    out_zeros(1024);
    out_flush();
    return 0;
}

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

static int op_put(int rootfd, const char *dir, const char *chown_user, bool mknod_ok, bool ro_rootfs)
{
    char *abs = clean_path(dir);
    int dfd = resolve_in_root(rootfd, abs, 0);
    struct stat st, rst;
    if (dfd < 0 || fstat(dfd, &st) < 0)
        not_found_or_die(abs);
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
    g_procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (g_procfd < 0)
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
        return op_get(rootfd, path);
    if (!strcmp(op, "put")) {
        /* Writing needs no way back to the host at all. */
        close(g_procfd);
        g_procfd = -1;
        return op_put(rootfd, path, chown_user, mknod_ok, ro_rootfs);
    }
    die_msg("args", "unknown _cp operation %s", op);
}
