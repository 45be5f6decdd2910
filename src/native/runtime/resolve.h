/* resolve.h - path resolution confined to a root directory fd. */
#ifndef CTUI_RESOLVE_H
#define CTUI_RESOLVE_H

#include <stdbool.h>
#include <sys/types.h>

/* Open PATH (absolute or relative, interpreted as if ROOTFD were "/") with O_PATH plus
 * EXTRA flags (e.g. O_DIRECTORY). Symlinks are followed but can never leave ROOTFD,
 * ".." is clamped at it, and /proc magic links are refused. Returns fd or -1/errno. */
int resolve_in_root(int rootfd, const char *path, int extra);
/* Same, but any symlink anywhere in PATH is an error (ELOOP). */
int resolve_in_root_nofollow(int rootfd, const char *path, int extra);
/* mkdir -p inside the root; returns an O_PATH fd of the final directory. With
 * FOLLOW false a symlink component is an error instead of being resolved in-root. */
int mkdirall_in_root(int rootfd, const char *path, mode_t mode, bool follow);
/* Ensure a regular file exists at PATH (parents created), return its O_PATH fd. */
int mkfile_in_root(int rootfd, const char *path, mode_t mode);
/* Open parent of PATH beneath DIRFD without following ANY symlink (RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS; component walk with O_NOFOLLOW as fallback). *base gets the last
 * component (points into PATH). Returns an O_PATH|O_DIRECTORY fd or -1/errno. */
int open_parent_nofollow(int dirfd, const char *path, const char **base);
/* "/proc/self/fd/N" for path-based syscalls on an fd (readlink of what it names, setxattr). */
const char *fdpath(int fd, char buf[32]);
/* Lexically clean an absolute path ("//a/./b/../c" -> "/a/c"), ".." clamped at "/". */
char *clean_path(const char *path);

#endif
