/* util.c - small helpers: clocks and timestamps, whole writes, atomic files, JSON
 * string escaping, number formatting. No stdio and no strftime/gmtime: those pull in
 * locale and time zone machinery (and their heap) that a 0.2 MiB process cannot afford. */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <stdlib.h>

int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t now_unix_nanos(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void put2(char *p, unsigned v) { p[0] = (char)('0' + v / 10 % 10); p[1] = (char)('0' + v % 10); }

/* days since 1970-01-01 -> civil date (Howard Hinnant's algorithm) */
static void civil(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

void now_rfc3339(char out[40])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t days = ts.tv_sec / 86400, sod = ts.tv_sec % 86400;
    int y;
    unsigned m, d;
    civil(days, &y, &m, &d);
    /* YYYY-MM-DDTHH:MM:SS.NNNNNNNNNZ */
    put2(out, (unsigned)y / 100);
    put2(out + 2, (unsigned)y % 100);
    out[4] = '-';
    put2(out + 5, m);
    out[7] = '-';
    put2(out + 8, d);
    out[10] = 'T';
    put2(out + 11, (unsigned)(sod / 3600));
    out[13] = ':';
    put2(out + 14, (unsigned)(sod / 60 % 60));
    out[16] = ':';
    put2(out + 17, (unsigned)(sod % 60));
    out[19] = '.';
    long ns = ts.tv_nsec;
    for (int i = 28; i >= 20; i--, ns /= 10)
        out[i] = (char)('0' + ns % 10);
    out[29] = 'Z';
    out[30] = 0;
}

size_t fmt_u64(char *out, uint64_t v)
{
    char t[24];
    size_t n = 0;
    do
        t[n++] = (char)('0' + v % 10);
    while ((v /= 10));
    for (size_t i = 0; i < n; i++)
        out[i] = t[n - 1 - i];
    out[n] = 0;
    return n;
}

size_t fmt_i64(char *out, int64_t v)
{
    if (v < 0) {
        out[0] = '-';
        return 1 + fmt_u64(out + 1, (uint64_t)(-(v + 1)) + 1);
    }
    return fmt_u64(out, (uint64_t)v);
}

void buf_add(char *out, size_t *pos, size_t cap, const char *s)
{
    while (*s && *pos + 1 < cap)
        out[(*pos)++] = *s++;
    out[*pos] = 0;
}

void json_str(char *out, size_t *pos, size_t cap, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[7] = { 0 };
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
        } else if (c == '\n') {
            memcpy(esc, "\\n", 3);
        } else if (c == '\r') {
            memcpy(esc, "\\r", 3);
        } else if (c == '\t') {
            memcpy(esc, "\\t", 3);
        } else if (c < 0x20 || c == 0x7f) {
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
        } else {
            esc[0] = (char)c; /* UTF-8 passes through; invalid bytes are the reader's problem */
        }
        size_t l = strlen(esc);
        if (*pos + l + 1 >= cap)
            break;
        memcpy(out + *pos, esc, l);
        *pos += l;
    }
    out[*pos] = 0;
}

int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* A runtime's --pid-file: a decimal pid (no newline needed); 0 when missing or not a pid. */
pid_t read_pid_at(const char *path)
{
    char b[32];
    if (read_file_at(AT_FDCWD, path, b, sizeof(b)) <= 0)
        return 0;
    long v = strtol(b, NULL, 10);
    return v > 0 && v <= 0x7fffffff ? (pid_t)v : 0;
}
