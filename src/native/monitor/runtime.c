/* runtime.c - running the OCI runtime (ctui-runtime or runc: the same command lines) and
 * reading its answers: wait status, exit code, its one-line error mapped as docker does. */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int devnull(int flags)
{
    return open("/dev/null", flags | O_CLOEXEC);
}

static int run_impl(const char *const *argv, int in, int out, int errfd, char *err, size_t errlen)
{
    const char *av[24];
    size_t n = 0;
    av[n++] = g_conf.runtime;
    av[n++] = "--root";
    av[n++] = g_conf.runtime_root;
    while (*argv && n < 22)
        av[n++] = *argv++;
    av[n] = NULL;
    int ep[2] = { -1, -1 };
    if (err && pipe2(ep, O_CLOEXEC) < 0)
        ep[0] = ep[1] = -1;
    pid_t pid = fork();
    if (pid == 0) {
        reset_signals();
        int nul = devnull(O_RDWR);
        dup2(in >= 0 ? in : nul, 0);
        dup2(out >= 0 ? out : nul, 1);
        dup2(ep[1] >= 0 ? ep[1] : errfd >= 0 ? errfd : nul, 2);
        execv(av[0], (char *const *)av);
        _exit(127);
    }
    if (ep[1] >= 0)
        close(ep[1]);
    if (pid < 0) {
        if (ep[0] >= 0)
            close(ep[0]);
        if (err)
            buf_add(err, &(size_t){ 0 }, errlen, "cannot fork the runtime");
        return 125 << 8;
    }
    if (err && errlen)
        err[0] = 0;
    if (ep[0] >= 0) {
        /* Keep the last non-empty line (the runtime's one-line error). */
        char b[2048];
        size_t have = 0;
        for (;;) {
            ssize_t r = read(ep[0], b + have, sizeof(b) - 1 - have);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            have += (size_t)r;
            if (have == sizeof(b) - 1) { /* keep the tail */
                memmove(b, b + have / 2, have - have / 2);
                have -= have / 2;
            }
        }
        close(ep[0]);
        b[have] = 0;
        while (have && (b[have - 1] == '\n' || b[have - 1] == '\r'))
            b[--have] = 0;
        char *last = strrchr(b, '\n');
        last = last ? last + 1 : b;
        size_t p = 0;
        buf_add(err, &p, errlen, last);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return st;
}

int runtime_run(const char *const *argv, int in, int out, char *err, size_t errlen)
{
    return run_impl(argv, in, out, -1, err, errlen);
}

/* The container's own stdio (create): stderr goes where the container's goes. */
int runtime_run_stdio(const char *const *argv, int in, int out, int errfd)
{
    return run_impl(argv, in, out, errfd, NULL, 0);
}

/* docker's mapping of runtime errors: not found 127, permission denied 126, else 125. */
int error_code(const char *msg)
{
    if (strstr(msg, "executable file not found") || strstr(msg, "no such file or directory"))
        return 127;
    if (strstr(msg, "permission denied"))
        return 126;
    return 125;
}

/* runc logs errors as logrus text: `time="..." level=error msg="runc create failed: ..."`;
 * keep just the message (unquoted) so both runtimes' errors read and map the same. */
void clean_error(char *out, size_t cap, const char *msg)
{
    const char *m = strstr(msg, "msg=\"");
    size_t p = 0;
    out[0] = 0;
    if (!m) {
        /* ctui-runtime's user stage already speaks docker's sentence ("unable to find user X:
         * no matching entries in passwd file"): drop the stage prefix, as runc's is dropped. */
        static const char user_stage[] = "ctui-runtime: user: ";
        if (!strncmp(msg, user_stage, sizeof(user_stage) - 1))
            msg += sizeof(user_stage) - 1;
        buf_add(out, &p, cap, msg);
        return;
    }
    for (m += 5; *m && *m != '"' && p + 1 < cap; m++) {
        if (*m == '\\' && m[1])
            m++;
        out[p++] = *m;
    }
    out[p] = 0;
}
