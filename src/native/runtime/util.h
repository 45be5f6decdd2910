/* util.h - error reporting (one line per failure), exit codes, small file helpers. */
#ifndef CTUI_UTIL_H
#define CTUI_UTIL_H

#include "../common/io.h"

#include <stddef.h>
#include <sys/types.h>

#define EXIT_RUN_FAIL   125 /* run's own failure before the container process ran */
#define EXIT_CANNOT_EXEC 126
#define EXIT_NOT_FOUND  127

/* Exit code used by die*() when the caller did not pick one (1; `run` sets 125). */
extern int g_fail_code;
extern int g_debug;

/* Set by --log: every error line is appended there as well as to stderr. */
void util_set_log(const char *path);

/* When set (container init side), die*() hands the formatted line to this hook
 * (which sends it to the parent) instead of printing, then _exit()s. */
extern void (*g_die_hook)(int code, const char *line);

/* "ctui-runtime: <stage>: <what>: <strerror(errno)>" then exit(g_fail_code). */
void die_errno(const char *stage, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
/* "ctui-runtime: <stage>: <what>" then exit(g_fail_code). */
void die_msg(const char *stage, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
/* Same with an explicit exit code and the line given verbatim (no prefix added). */
void die_line(int code, const char *line) __attribute__((noreturn));
/* Print an error line without exiting. */
void warn_msg(const char *stage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void debug_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whole-file helpers. write_file: O_WRONLY|O_TRUNC (no create), returns 0 / -1 with errno. */
int write_file_at(int dirfd, const char *path, const char *data, size_t len);
int write_file(const char *path, const char *data);
/* Reads up to cap-1 bytes, NUL terminates, returns length or -1. */
/* mkdir -p for host-side trusted paths (state dir, cgroupfs). */
int mkdir_p(const char *path, mode_t mode);
/* Close every fd >= 3 except those in KEEP (fds < 3 are never touched). */
void close_fds_except(const int *keep, size_t n);
/* Heap string helpers that die on OOM. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
