/* resolve.c - safe path resolution inside an untrusted tree.
 *
 * Why: the rootfs comes from an image and is attacker-controlled. A naive
 * mount(src, rootfs + "/proc") follows a symlink "/proc -> /" planted in the image and
 * mounts over the HOST's root (CVE-2019-19921 family; runc's later mount races
 * CVE-2021-30465 swapped a path component for a symlink between check and use).
 * We therefore resolve every destination to an fd with openat2(RESOLVE_IN_ROOT), where
 * the kernel treats the rootfs as "/" for absolute symlinks and "..", and then attach the
 * mount onto exactly that resolved dentry (move_mount onto the fd, see mountfd.c) - there
 * is no second lookup that could be raced, neither for the mount nor for its flags. */
#include "resolve.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int have_openat2 = 1;

static int sys_openat2(int dirfd, const char *path, int flags, unsigned long long resolve)
{
    struct open_how how = { .flags = (unsigned long long)(flags | O_CLOEXEC), .mode = 0, .resolve = resolve };
    if (!have_openat2) {
        errno = ENOSYS;
        return -1;
    }
    int fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
    if (fd < 0 && errno == ENOSYS)
        have_openat2 = 0;
    return fd;
}

const char *fdpath(int fd, char buf[32])
{
    snprintf(buf, 32, "/proc/self/fd/%d", fd);
    return buf;
}

char *clean_path(const char *path)
{
    size_t n = strlen(path);
    char *out = xmalloc(n + 2);
    size_t o = 0;
    out[o++] = '/';
    const char *p = path;
    while (*p) {
        while (*p == '/')
            p++;
        const char *s = p;
        while (*p && *p != '/')
            p++;
        size_t len = p - s;
        if (len == 0 || (len == 1 && s[0] == '.'))
            continue;
        if (len == 2 && s[0] == '.' && s[1] == '.') {
            while (o > 1 && out[o - 1] != '/')
                o--;
            if (o > 1)
                o--; /* drop the '/' too, unless we are at root */
            continue;
        }
        if (o > 1)
            out[o++] = '/';
        memcpy(out + o, s, len);
        o += len;
    }
    out[o] = 0;
    return out;
}

/* Fallback without openat2 (kernel < 5.6): walk component by component with
 * O_NOFOLLOW. Symlinks are simply refused (ELOOP) - less compatible, never unsafe. */
static int walk_nofollow(int dirfd, const char *rel, int last_flags)
{
    char *c = clean_path(rel);
    int cur = openat(dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    char *save = NULL;
    for (char *tok = strtok_r(c, "/", &save); tok && cur >= 0; tok = strtok_r(NULL, "/", &save)) {
        int last = (save == NULL || *save == 0);
        int fl = O_PATH | O_NOFOLLOW | O_CLOEXEC | (last ? last_flags : O_DIRECTORY);
        int next = openat(cur, tok, fl);
        if (next >= 0) {
            struct stat st;
            if (fstat(next, &st) == 0 && S_ISLNK(st.st_mode)) {
                close(next);
                next = -1;
                errno = ELOOP;
            }
        }
        int e = errno;
        close(cur);
        cur = next;
        errno = e;
    }
    free(c);
    return cur;
}

int resolve_in_root(int rootfd, const char *path, int extra)
{
    while (*path == '/')
        path++;
    if (!*path)
        path = ".";
    int fd = sys_openat2(rootfd, path, O_PATH | extra,
                         RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
    if (fd < 0 && errno == ENOSYS)
        return walk_nofollow(rootfd, path, extra);
    return fd;
}

/* Open one component below DIRFD, never following a symlink. */
static int open_comp(int dirfd, const char *name, int extra)
{
    int fd = sys_openat2(dirfd, name, O_PATH | O_NOFOLLOW | extra,
                         RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
    if (fd < 0 && errno == ENOSYS)
        return walk_nofollow(dirfd, name, extra);
    return fd;
}

int resolve_in_root_nofollow(int rootfd, const char *path, int extra)
{
    while (*path == '/')
        path++;
    if (!*path)
        path = ".";
    int fd = sys_openat2(rootfd, path, O_PATH | extra,
                         RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
    if (fd < 0 && errno == ENOSYS)
        return walk_nofollow(rootfd, path, extra);
    return fd;
}

/* A symlink on the way whose target does not exist yet (an image's "/data -> /srv/data"
 * without /srv): with follow, make what it points to, read as if the rootfs were "/"
 * (securejoin's MkdirAll does the same), so the mount point lands where the container
 * will see it - and, like every other path here, never outside the rootfs. */
static int mkdirall_depth(int rootfd, const char *path, mode_t mode, bool follow, int depth);

static int mkdir_via_link(int rootfd, int dirfd, const char *orig, const char *tok_in_copy,
                          const char *copy, mode_t mode, int depth)
{
    struct stat st;
    char target[4096];
    const char *name = tok_in_copy;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISLNK(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    if (depth >= 40) {
        errno = ELOOP;
        return -1;
    }
    ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);
    if (n <= 0)
        return -1;
    target[n] = 0;
    /* orig is the cleaned path; the link is the component at the same offset in it. */
    size_t off = (size_t)(tok_in_copy - copy);
    const char *rest = orig + off + strlen(name);
    char *next = target[0] == '/' ? xasprintf("%s%s", target, rest)
                                  : xasprintf("%.*s%s%s", (int)off, orig, target, rest);
    int fd = mkdirall_depth(rootfd, next, mode, true, depth + 1);
    int e = errno;
    free(next);
    errno = e;
    return fd;
}

static int mkdirall_depth(int rootfd, const char *path, mode_t mode, bool follow, int depth)
{
    int fd = follow ? resolve_in_root(rootfd, path, O_DIRECTORY)
                    : resolve_in_root_nofollow(rootfd, path, O_DIRECTORY);
    if (fd >= 0 || errno != ENOENT)
        return fd;
    char *c = clean_path(path);
    char *orig = xstrdup(c); /* strtok_r cuts c into pieces; prefixes are taken from orig */
    int cur = openat(rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    char *save = NULL;
    for (char *tok = strtok_r(c + 1, "/", &save); tok && cur >= 0; tok = strtok_r(NULL, "/", &save)) {
        int next = open_comp(cur, tok, O_DIRECTORY);
        if (next < 0 && errno == ENOENT) {
            /* Create it: mkdirat never follows a symlink in the final component. */
            if (mkdirat(cur, tok, mode) < 0 && errno != EEXIST) {
                next = -1;
            } else {
                next = open_comp(cur, tok, O_DIRECTORY);
            }
        }
        if (next < 0 && (errno == ELOOP || errno == ENOTDIR) && follow) {
            /* The rest of the path is made by the call that follows the link. */
            int r = mkdir_via_link(rootfd, cur, orig, tok, c, mode, depth);
            int e = errno;
            close(cur);
            free(c);
            free(orig);
            errno = e;
            return r;
        }
        int e = errno;
        close(cur);
        cur = next;
        errno = e;
    }
    free(c);
    free(orig);
    return cur;
}

int mkdirall_in_root(int rootfd, const char *path, mode_t mode, bool follow)
{
    return mkdirall_depth(rootfd, path, mode, follow, 0);
}

int mkfile_in_root(int rootfd, const char *path, mode_t mode)
{
    int fd = resolve_in_root(rootfd, path, 0);
    if (fd >= 0 || errno != ENOENT)
        return fd;
    char *c = clean_path(path);
    char *slash = strrchr(c, '/');
    *slash = 0;
    int dir = mkdirall_in_root(rootfd, c[0] ? c : "/", 0755, true);
    if (dir < 0) {
        free(c);
        return -1;
    }
    /* O_EXCL|O_NOFOLLOW: never truncate or follow an existing entry. */
    int f = openat(dir, slash + 1, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, mode);
    if (f >= 0)
        close(f);
    else if (errno != EEXIST) {
        int e = errno;
        close(dir);
        free(c);
        errno = e;
        return -1;
    }
    close(dir);
    free(c);
    return resolve_in_root(rootfd, path, 0);
}

int open_parent_nofollow(int dirfd, const char *path, const char **base)
{
    const char *slash = strrchr(path, '/');
    *base = slash ? slash + 1 : path;
    if (!**base || !strcmp(*base, ".") || !strcmp(*base, "..")) {
        errno = EINVAL;
        return -1;
    }
    if (!slash)
        return openat(dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    char *dir = strndup(path, slash - path);
    if (!dir)
        return -1;
    int fd = -1;
    const char *d = dir;
    while (*d == '/')
        d++;
    if (!*d) {
        fd = openat(dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    } else {
        fd = sys_openat2(dirfd, d, O_PATH | O_DIRECTORY,
                         RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
        if (fd < 0 && errno == ENOSYS)
            fd = walk_nofollow(dirfd, d, O_DIRECTORY);
    }
    int e = errno;
    free(dir);
    errno = e;
    return fd;
}
