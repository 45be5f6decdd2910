/* common/io.c - see io.h. No stdio: the monitor links this into a ~80 KiB static binary. */
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

ssize_t read_all(int fd, void *buf, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t n = read(fd, (char *)buf + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        off += (size_t)n;
    }
    return (ssize_t)off;
}

int write_all(int fd, const void *buf, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, (const char *)buf + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        off += (size_t)n;
    }
    return 0;
}

ssize_t read_file_at(int dirfd, const char *path, char *buf, size_t cap)
{
    int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read_all(fd, buf, cap - 1);
    int e = errno;
    close(fd);
    if (n < 0) {
        errno = e;
        return -1;
    }
    buf[n] = 0;
    return n;
}

uint64_t proc_start_time(pid_t pid, bool *zombie)
{
    if (zombie)
        *zombie = false;
    if (pid <= 0)
        return 0;
    char path[32] = "/proc/", digits[16], buf[1024];
    size_t nd = 0;
    for (unsigned long v = (unsigned long)pid; v; v /= 10)
        digits[nd++] = (char)('0' + v % 10);
    size_t pl = 6;
    while (nd)
        path[pl++] = digits[--nd];
    memcpy(path + pl, "/stat", 6);
    if (read_file_at(AT_FDCWD, path, buf, sizeof(buf)) <= 0)
        return 0;
    /* comm (field 2) may contain spaces and ')': fields are counted from the LAST ')'. */
    char *p = strrchr(buf, ')');
    if (!p || p[1] != ' ')
        return 0;
    if (zombie)
        *zombie = (p[2] == 'Z' || p[2] == 'X');
    p += 2; /* field 3 */
    for (int f = 3; f < 22 && p; f++) {
        p = strchr(p, ' ');
        if (p)
            p++;
    }
    uint64_t v = 0;
    while (p && *p >= '0' && *p <= '9')
        v = v * 10 + (uint64_t)(*p++ - '0');
    return v;
}

void reset_signals(void)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int s = 1; s < NSIG; s++)
        if (s != SIGKILL && s != SIGSTOP)
            signal(s, SIG_DFL);
}

int write_file_atomic(const char *path, const char *data, size_t len, mode_t mode)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0)
        return -1;
    int r = write_all(fd, data, len);
    int err = errno;
    if (close(fd) < 0 && r == 0) /* a delayed write error (ENOSPC) can surface here */
        r = -1, err = errno;
    if (r < 0 || rename(tmp, path) < 0) {
        if (r == 0)
            err = errno;
        unlink(tmp);
        errno = err; /* the caller tells ENOSPC from the rest */
        return -1;
    }
    return 0;
}

int exit_code_of(int wait_status)
{
    if (WIFEXITED(wait_status))
        return WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status))
        return 128 + WTERMSIG(wait_status);
    return 125;
}
