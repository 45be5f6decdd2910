/* util.c - one-line errors, exit codes, file helpers. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int g_fail_code = 1;
int g_debug;
void (*g_die_hook)(int code, const char *line);
static const char *log_path;

void util_set_log(const char *path) { log_path = path; }

static void emit(const char *line)
{
    size_t n = strlen(line);
    /* One write per line so concurrent writers never interleave mid-line. */
    char buf[4096];
    if (n > sizeof(buf) - 2)
        n = sizeof(buf) - 2;
    memcpy(buf, line, n);
    buf[n++] = '\n';
    if (write(STDERR_FILENO, buf, n) < 0) { /* nothing left to report to */ }
    if (log_path) {
        int fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0) {
            if (write(fd, buf, n) < 0) { /* best effort */ }
            close(fd);
        }
    }
}

void die_line(int code, const char *line)
{
    if (g_die_hook)
        g_die_hook(code, line); /* does not return */
    emit(line);
    exit(code);
}

static void vformat(char *out, size_t cap, const char *stage, const char *fmt, va_list ap, int err)
{
    int n = snprintf(out, cap, "ctui-runtime: %s: ", stage);
    if (n < 0 || (size_t)n >= cap)
        return;
    int m = vsnprintf(out + n, cap - n, fmt, ap);
    if (m < 0 || (size_t)(n + m) >= cap)
        return;
    if (err)
        snprintf(out + n + m, cap - n - m, ": %s", strerror(err));
    /* Keep it ONE line whatever the inputs contained. */
    for (char *p = out; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

void die_errno(const char *stage, const char *fmt, ...)
{
    int err = errno;
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vformat(line, sizeof(line), stage, fmt, ap, err ? err : EIO);
    va_end(ap);
    die_line(g_fail_code, line);
}

void die_msg(const char *stage, const char *fmt, ...)
{
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vformat(line, sizeof(line), stage, fmt, ap, 0);
    va_end(ap);
    die_line(g_fail_code, line);
}

void warn_msg(const char *stage, const char *fmt, ...)
{
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vformat(line, sizeof(line), stage, fmt, ap, 0);
    va_end(ap);
    emit(line);
}

void debug_msg(const char *fmt, ...)
{
    if (!g_debug)
        return;
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vformat(line, sizeof(line), "debug", fmt, ap, 0);
    va_end(ap);
    emit(line);
}

int write_file_at(int dirfd, const char *path, const char *data, size_t len)
{
    int fd = openat(dirfd, path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return -1;
    int r = write_all(fd, data, len);
    int e = errno;
    close(fd);
    errno = e;
    return r;
}

int write_file(const char *path, const char *data)
{
    return write_file_at(AT_FDCWD, path, data, strlen(data));
}

int mkdir_p(const char *path, mode_t mode)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n >= sizeof(buf)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; ; p++) {
        if (*p == '/' || *p == 0) {
            char c = *p;
            *p = 0;
            if (mkdir(buf, mode) < 0 && errno != EEXIST)
                return -1;
            *p = c;
            if (!c)
                break;
        }
    }
    return 0;
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die_msg("memory", "out of memory");
    return p;
}

void *xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz ? sz : 1);
    if (!p)
        die_msg("memory", "out of memory");
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die_msg("memory", "out of memory");
    return q;
}

char *xstrdup(const char *s)
{
    char *p = strdup(s ? s : "");
    if (!p)
        die_msg("memory", "out of memory");
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    char *p;
    va_list ap;
    va_start(ap, fmt);
    int r = vasprintf(&p, fmt, ap);
    va_end(ap);
    if (r < 0)
        die_msg("memory", "out of memory");
    return p;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

void close_fds_except(const int *keep, size_t n)
{
    /* close_range over the gaps between the kept fds (sorted); fds < 3 always stay. */
    int k[16];
    size_t m = 0;
    for (size_t i = 0; i < n && m < sizeof(k) / sizeof(k[0]); i++)
        if (keep[i] >= 3)
            k[m++] = keep[i];
    qsort(k, m, sizeof(int), cmp_int);
    unsigned int from = 3;
    for (size_t i = 0; i <= m; i++) {
        unsigned int to = i < m ? (unsigned int)k[i] : ~0U;
        if (to > from) {
            unsigned int last = i < m ? to - 1 : ~0U;
            if (syscall(SYS_close_range, from, last, 0) < 0) {
                /* pre-5.9 kernel: one by one up to a sane bound */
                for (unsigned int fd = from; fd <= last && fd < 65536; fd++)
                    close((int)fd);
            }
        }
        if (i < m)
            from = to + 1;
    }
}
