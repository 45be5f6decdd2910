/* fsops.c - _mount-overlay, _umount, _fsops. Layer contents are untrusted image data:
 * _fsops never follows a symlink anywhere in a path (a layer shipping "etc -> /" must
 * not turn a whiteout of "etc/passwd" into a change on the host). */
#include "fsops.h"
#include "resolve.h"
#include "overlay.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#define OPAQUE_XATTR "trusted.overlay.opaque"

int fsops_mount_overlay(int argc, char **argv)
{
    const char *cwd = NULL, *lower = NULL, *upper = NULL, *work = NULL, *target = NULL;
    for (int i = 1; i < argc; i++) {
        const char **slot = !strcmp(argv[i], "--cwd") ? &cwd : !strcmp(argv[i], "--lower") ? &lower :
                            !strcmp(argv[i], "--upper") ? &upper : !strcmp(argv[i], "--work") ? &work : NULL;
        if (slot) {
            if (i + 1 >= argc)
                die_msg("mount-overlay", "%s needs a value", argv[i]);
            *slot = argv[++i];
        } else if (!target && argv[i][0] != '-') {
            target = argv[i];
        } else {
            die_msg("mount-overlay", "unexpected argument %s", argv[i]);
        }
    }
    if (!lower || !target || (!upper != !work))
        die_msg("mount-overlay", "usage: _mount-overlay --cwd DIR --lower A:B [--upper U --work W] TARGET");
    if (overlay_mount(cwd, lower, upper, work, target) == 0)
        return 0;
    if (errno == E2BIG)
        die_msg("mount-overlay", "mount options too long for %s (too many layers)", target);
    die_errno("mount-overlay", "mount overlay on %s", target);
}

int fsops_umount(int argc, char **argv)
{
    int flags = 0, i = 1;
    if (i < argc && !strcmp(argv[i], "--lazy"))
        flags = MNT_DETACH, i++;
    for (; i < argc; i++)
        if (umount2(argv[i], flags | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL && errno != ENOENT)
            die_errno("umount", "%s", argv[i]);
    return 0;
}

/* ---- _fsops record reader: fields separated by NUL, record ends with an empty field ---- */

struct reader { char buf[65536]; size_t len, pos; bool eof; };

/* Returns a malloc'd field, NULL at clean EOF before any byte of a field. */
static char *read_field(struct reader *r)
{
    size_t cap = 256, n = 0;
    char *f = NULL;
    for (;;) {
        if (r->pos == r->len) {
            if (r->eof)
                break;
            ssize_t k = read(STDIN_FILENO, r->buf, sizeof(r->buf));
            if (k < 0 && errno == EINTR)
                continue;
            if (k < 0)
                die_errno("fsops", "read stdin");
            r->len = (size_t)k;
            r->pos = 0;
            if (k == 0) {
                r->eof = true;
                break;
            }
        }
        if (!f)
            f = xmalloc(cap);
        char ch = r->buf[r->pos++];
        if (n + 1 >= cap) {
            cap *= 2;
            char *g = realloc(f, cap);
            if (!g)
                die_msg("fsops", "out of memory");
            f = g;
        }
        f[n++] = ch;
        if (ch == 0)
            return f;
    }
    if (f && n)
        die_msg("fsops", "truncated record");
    free(f);
    return NULL;
}

static int parent_of(int rootfd, const char *path, const char **base)
{
    int fd = open_parent_nofollow(rootfd, path, base);
    if (fd < 0)
        die_errno("fsops", "%s: open parent", path);
    return fd;
}

static void op_whiteout(int rootfd, const char *path)
{
    const char *base;
    int dir = parent_of(rootfd, path, &base);
    /* overlayfs whiteout: char device 0/0. mknodat never follows; EEXIST is an error. */
    if (mknodat(dir, base, S_IFCHR | 0000, makedev(0, 0)) < 0)
        die_errno("fsops", "%s: whiteout", path);
    if (fchownat(dir, base, 0, 0, AT_SYMLINK_NOFOLLOW) < 0)
        die_errno("fsops", "%s: chown whiteout", path);
    close(dir);
}

static int open_dir_nofollow(int rootfd, const char *path)
{
    const char *p = path;
    while (*p == '/')
        p++;
    if (!*p || !strcmp(p, "."))
        return openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const char *base;
    int dir = parent_of(rootfd, path, &base);
    int fd = openat(dir, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        die_errno("fsops", "%s: open directory", path);
    close(dir);
    return fd;
}

static void op_opaque(int rootfd, const char *path)
{
    int fd = open_dir_nofollow(rootfd, path);
    if (fsetxattr(fd, OPAQUE_XATTR, "y", 1, 0) < 0)
        die_errno("fsops", "%s: set %s", path, OPAQUE_XATTR);
    close(fd);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
           c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void op_xattr(int rootfd, const char *path, const char *name, const char *hex)
{
    /* overlayfs reads its own metadata from trusted.overlay.* (opaque, redirect,
     * metacopy, origin...) and, with userxattr, user.overlay.*: an image that sets them
     * steers overlayfs itself (e.g. a redirect to another layer's path). The TS
     * extractor filters them too; this helper refuses them whoever calls it. */
    if (!strncmp(name, "trusted.overlay.", 16) || !strncmp(name, "user.overlay.", 13))
        die_msg("fsops", "%s: refusing overlayfs xattr %s", path, name);
    size_t hl = strlen(hex);
    if (hl % 2)
        die_msg("fsops", "%s: odd-length hex value for %s", path, name);
    char *val = xmalloc(hl / 2 + 1);
    for (size_t i = 0; i < hl / 2; i++) {
        int a = hexval(hex[2 * i]), b = hexval(hex[2 * i + 1]);
        if (a < 0 || b < 0)
            die_msg("fsops", "%s: bad hex value for %s", path, name);
        val[i] = (char)(a * 16 + b);
    }
    const char *base;
    int dir = parent_of(rootfd, path, &base);
    /* O_PATH|O_NOFOLLOW pins the entry itself (a symlink stays the symlink); the
     * /proc/self/fd path then reaches exactly that inode - like lsetxattr, but without
     * a second path walk, and without opening device nodes or fifos. */
    int fd = openat(dir, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        die_errno("fsops", "%s: open", path);
    char p[32];
    if (setxattr(fdpath(fd, p), name, val, hl / 2, 0) < 0)
        die_errno("fsops", "%s: set xattr %s", path, name);
    close(fd);
    close(dir);
    free(val);
}

static void op_query(int rootfd, const char *path, FILE *out)
{
    int fd = open_dir_nofollow(rootfd, path);
    char v[4];
    ssize_t n = fgetxattr(fd, OPAQUE_XATTR, v, sizeof(v));
    bool opaque = n == 1 && v[0] == 'y';
    if (n < 0 && errno != ENODATA && errno != ENOTSUP)
        die_errno("fsops", "%s: get %s", path, OPAQUE_XATTR);
    fputs(path, out);
    fputc(0, out);
    fputs(opaque ? "y" : "n", out);
    fputc(0, out);
    close(fd);
}

/* L: every extended attribute of one entry (not following a final symlink), for commit:
 * "path\0" then "name\0hexvalue\0" per attribute, then "\0". The entry is pinned with
 * O_PATH|O_NOFOLLOW and read through its /proc/self/fd path, as op_xattr does, so a
 * container swapping a parent for a symlink mid-commit cannot make us read host files'
 * attributes: open_parent_nofollow refuses symlinks on the way. A vanished entry prints
 * no attributes (the TS side notices the file itself is gone). */
static void op_list_xattrs(int rootfd, const char *path, FILE *out)
{
    const char *base;
    const char *p = path;
    while (*p == '/')
        p++;
    int fd;
    if (!*p || !strcmp(p, ".")) {
        fd = openat(rootfd, ".", O_PATH | O_CLOEXEC);
    } else {
        int dir = open_parent_nofollow(rootfd, path, &base);
        fd = dir < 0 ? -1 : openat(dir, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (dir >= 0)
            close(dir);
    }
    fputs(path, out);
    fputc(0, out);
    if (fd < 0) {
        if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP)
            die_errno("fsops", "%s: open", path);
        fputc(0, out);
        return;
    }
    char fp[32];
    fdpath(fd, fp);
    ssize_t n = listxattr(fp, NULL, 0);
    if (n < 0 && errno != ENOTSUP && errno != ENODATA)
        die_errno("fsops", "%s: list xattrs", path);
    if (n > 0) {
        char *names = xmalloc((size_t)n + 1);
        n = listxattr(fp, names, (size_t)n);
        if (n < 0)
            die_errno("fsops", "%s: list xattrs", path);
        for (char *nm = names; nm < names + n; nm += strlen(nm) + 1) {
            ssize_t vl = getxattr(fp, nm, NULL, 0);
            if (vl < 0)
                continue; /* removed meanwhile */
            unsigned char *v = xmalloc((size_t)vl + 1);
            vl = getxattr(fp, nm, v, (size_t)vl);
            if (vl >= 0) {
                fputs(nm, out);
                fputc(0, out);
                for (ssize_t i = 0; i < vl; i++)
                    fprintf(out, "%02x", v[i]);
                fputc(0, out);
            }
            free(v);
        }
        free(names);
    }
    fputc(0, out);
    close(fd);
}

int fsops_batch(int argc, char **argv)
{
    if (argc != 2)
        die_msg("fsops", "usage: _fsops ROOTDIR < records");
    int rootfd = open(argv[1], O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        die_errno("fsops", "open %s", argv[1]);
    struct reader *r = xcalloc(1, sizeof(*r));
    char *fields[8];
    for (;;) {
        size_t n = 0;
        char *f;
        while ((f = read_field(r)) && f[0]) {
            if (n == 8)
                die_msg("fsops", "record with too many fields");
            fields[n++] = f;
        }
        if (!f && !n)
            break; /* clean EOF */
        if (!f)
            die_msg("fsops", "truncated record");
        free(f);
        const char *op = fields[0];
        if (n == 2 && !strcmp(op, "W")) op_whiteout(rootfd, fields[1]);
        else if (n == 2 && !strcmp(op, "O")) op_opaque(rootfd, fields[1]);
        else if (n == 4 && !strcmp(op, "X")) op_xattr(rootfd, fields[1], fields[2], fields[3]);
        else if (n == 2 && !strcmp(op, "Q")) op_query(rootfd, fields[1], stdout);
        else if (n == 2 && !strcmp(op, "L")) op_list_xattrs(rootfd, fields[1], stdout);
        else die_msg("fsops", "bad record (op %s, %zu fields)", n ? op : "(none)", n);
        for (size_t i = 0; i < n; i++)
            free(fields[i]);
    }
    if (fflush(stdout) != 0)
        die_errno("fsops", "write stdout");
    return 0;
}
