/* cpint.h - what the three parts of `_cp` share: cpcmd.c (entering the container's root, paths as
 * docker reads them, stat, the command line), cpget.c (a tar out), cpput.c (records in). */
#ifndef CTUI_CPINT_H
#define CTUI_CPINT_H

#include <sys/stat.h>
#include <stdbool.h>

#define STAGE "cp"
#define EXIT_NOT_THERE 2 /* the path does not exist: the caller says docker's "No such container:path" */

/* The host's /proc, opened before entering: the only way back to a file by its fd ("self/fd/N")
 * once the container's root is ours (cpget.c reopens through it). -1 for put, which needs none. */
extern int cp_procfd;

/* Ends the process: exit EXIT_NOT_THERE for ENOENT, else one line naming ABS and errno. */
void cp_not_found_or_die(const char *abs) __attribute__((noreturn));
/* PATH made absolute and resolved in the root (its parent's fd, its name, its lstat), or the process ends. */
char *cp_resolve_or_die(int rootfd, const char *path, int *pfd, char **name, struct stat *st);

int cp_get(int rootfd, const char *path);
int cp_put(int rootfd, const char *dir, const char *chown_user, bool mknod_ok, bool ro_rootfs);

#endif
