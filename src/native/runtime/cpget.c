/* cpget.c - `_cp get`: a tar of a path in the container's root on stdout (cpcmd.c enters the root
 * first). Entries are opened O_NOFOLLOW and typed from the fd; symlinks are archived, never
 * followed; only regular files are opened for reading. */
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
    return openat(cp_procfd, p, flags | O_CLOEXEC);
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

int cp_get(int rootfd, const char *path)
{
    int pfd;
    char *name;
    struct stat st;
    char *abs = cp_resolve_or_die(rootfd, path, &pfd, &name, &st);
    char *arch = archive_root_name(abs);
    emit(pfd, name, arch);
    out_zeros(1024);
    out_flush();
    return 0;
}

