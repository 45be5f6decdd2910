/* exec.c - the final step. */
#include "exec.h"
#include "caps.h"
#include "seccomp.h"
#include "resolve.h"
#include "userdb.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/close_range.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* 0 = executable regular file; else errno (EACCES for non-executable, ENOENT ...).
 * It runs after the uid switch, so it answers for the real user. */
static int check_exec(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) < 0)
        return errno;
    if (S_ISDIR(sb.st_mode))
        return EACCES;
    /* The old faccessat syscall, not glibc's faccessat(): glibc 2.33+ calls faccessat2
     * (Linux 5.8) first and falls back only on ENOSYS, and this runs under the seccomp
     * filter, which an old profile may answer with EPERM. After the uid switch the real
     * and effective ids are the same, so access(2) semantics give AT_EACCESS's answer. */
    if (syscall(SYS_faccessat, AT_FDCWD, path, X_OK) < 0)
        return errno == ENOENT ? ENOENT : EACCES;
    return 0;
}

char *exec_lookup(const struct config *c, char *err, size_t errlen, int *code)
{
    const char *file = c->args[0];
    if (strchr(file, '/')) {
        int e = check_exec(file);
        if (!e)
            return xstrdup(file);
        if (e == ENOENT || e == ENOTDIR) {
            snprintf(err, errlen, "exec: \"%s\": stat %s: no such file or directory", file, file);
            *code = 127;
        } else {
            snprintf(err, errlen, "exec: \"%s\": permission denied", file);
            *code = 126;
        }
        return NULL;
    }
    const char *path = config_getenv(c, "PATH");
    if (!path)
        path = DEFAULT_PATH;
    char *copy = xstrdup(path);
    bool saw_noexec = false;
    for (char *dir = copy, *next; dir; dir = next) {
        next = strchr(dir, ':');
        if (next)
            *next++ = 0;
        char *cand = xasprintf("%s/%s", *dir ? dir : ".", file);
        int e = check_exec(cand);
        if (!e) {
            free(copy);
            return cand;
        }
        if (e == EACCES)
            saw_noexec = true;
        free(cand);
    }
    free(copy);
    /* Like Go's LookPath, a non-executable match does not stop the search and the final
     * verdict is "not found"; only an explicit path gets "permission denied". */
    (void)saw_noexec;
    snprintf(err, errlen, "exec: \"%s\": executable file not found in $PATH", file);
    *code = 127;
    return NULL;
}

char **exec_build_env(const struct config *c)
{
    char **env = xcalloc(c->n_env + 2, sizeof(char *));
    size_t n = 0;
    for (size_t i = 0; i < c->n_env; i++)
        env[n++] = (char *)c->env[i];
    if (!config_getenv(c, "HOME")) {
        char *h = userdb_home_for_uid(c->uid);
        env[n++] = xasprintf("HOME=%s", h);
        free(h);
    }
    env[n] = NULL;
    return env;
}

void exec_cloexec_fds(void)
{
    /* The runtime held fds to host objects (state dir, rootfs before pivot, the sync
     * socket): leaking any of them lets the container escape (CVE-2024-21626 was a
     * leaked host cgroupfs fd used as cwd). CLOEXEC rather than close so our own error
     * reporting still works if execve fails. */
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
        return;
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        die_errno("exec", "cannot enumerate open fds");
    struct dirent *de;
    while ((de = readdir(d))) {
        int fd = atoi(de->d_name);
        if (fd >= 3 && fd != dirfd(d))
            fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    closedir(d);
}

void exec_enter_cwd(const char *cwd)
{
    /* CVE-2024-21626 class: a plain chdir(cwd) re-walks a path the container (or a
     * volume it shares with another container) controls. Racing a component into a
     * symlink to /proc/self/fd/N would land the cwd on whatever host directory fd we
     * still hold, i.e. outside the container's root, and the program inherits it.
     * So: resolve ONCE with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS) from the
     * container's root (symlinks and ".." clamped at it, /proc magic links refused),
     * then fchdir() to exactly that directory - there is no second lookup to race. */
    int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root < 0)
        die_errno("cwd", "open /");
    int fd = resolve_in_root(root, cwd, O_DIRECTORY);
    if (fd < 0)
        die_errno("cwd", "chdir to cwd (\"%s\") set in config.json", cwd);
    if (fchdir(fd) < 0)
        die_errno("cwd", "chdir to cwd (\"%s\") set in config.json", cwd);
    close(fd);
    close(root);
    /* runc's verifyCwd: the kernel's getcwd reports a directory outside our root as
     * "(unreachable)/..." (glibc turns that into ENOENT). Belt and braces on top of the
     * in-root resolution: never exec with a cwd the container's root does not contain. */
    char buf[PATH_MAX];
    /* Only "unreachable" (ENOENT / no leading "/") means outside the root; any other
     * failure (EPERM from a seccomp filter or an LSM, ENAMETOOLONG) is reported as what it
     * is, not as a breakout. */
    bool ok = getcwd(buf, sizeof(buf)) != NULL;
    if (!ok && errno != ENOENT)
        die_errno("cwd", "getcwd in \"%s\"", cwd);
    if (!ok || buf[0] != '/')
        die_msg("cwd", "current working directory is outside of container mount namespace root -- possible container breakout detected");
}

char *exec_final_setup(struct config *c, const char *user, void *filter, const char *what, char ***envp)
{
    if (user)
        userdb_resolve(c, user); /* the container's /etc/passwd + /etc/group */
    /* Before the uid switch, like runc (a cwd the user cannot enter still works), and with no
     * host directory fd left open. Also before the seccomp filter: the profile is the
     * container program's, and an old or hand-made one may deny what the runtime's own
     * steps use (openat2 under an EPERM-default profile from before 5.6 fails the create
     * with "Operation not permitted"). Nothing in here depends on the profile. */
    exec_enter_cwd(c->cwd);
    /* Without noNewPrivileges, loading a filter needs CAP_SYS_ADMIN: now, before the caps
     * drop. What follows it (capset, setgroups/setgid/setuid, prctl, stat/faccessat of
     * args[0], execve) are syscalls from before Linux 3.x that every profile a container
     * can run under allows; runc depends on the same set. With noNewPrivileges it goes in
     * as late as possible (below): runc's two-position scheme. */
    if (filter && !c->no_new_privs) {
        seccomp_install(filter);
        filter = NULL;
    }
    caps_apply_and_setuser(c);
    char err[1200];
    int code = 0;
    char *path = exec_lookup(c, err, sizeof(err), &code);
    if (!path) {
        char line[1300];
        snprintf(line, sizeof(line), "ctui-runtime: %s: %s", what, err);
        die_line(code, line);
    }
    *envp = exec_build_env(c); /* HOME from the (resolved) user when missing */
    /* NO_NEW_PRIVS: setuid binaries and file caps cannot raise privileges after exec. */
    if (c->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        die_errno("no_new_privs", "prctl");
    if (filter)
        seccomp_install(filter);
    return path;
}
