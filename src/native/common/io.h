/* common/io.h - small helpers shared by ctui-runtime and ctui-monitor (compiled into each). */
#ifndef CTUI_COMMON_IO_H
#define CTUI_COMMON_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Full read/write on fds, retrying EINTR and short counts. read_all returns bytes read (< len at EOF) or -1. */
ssize_t read_all(int fd, void *buf, size_t len);
int write_all(int fd, const void *buf, size_t len);

/* A small file, NUL-terminated in buf (at most cap-1 bytes): the bytes read, or -1 (errno). */
ssize_t read_file_at(int dirfd, const char *path, char *buf, size_t cap);

/* /proc/PID/stat field 22 (start time in clock ticks since boot), 0 when the process is gone. Stored
 * beside a pid so that a recycled pid is never mistaken for the process we meant. *zombie (optional)
 * tells whether it has exited but not been reaped. */
uint64_t proc_start_time(pid_t pid, bool *zombie);

/* Back to default dispositions and an empty mask: both survive fork and execve, and a child must not
 * inherit the parent's ignored or blocked signals (it would be unkillable or never see SIGCHLD). */
void reset_signals(void);

/* Write LEN bytes to PATH atomically: PATH.tmp, then rename over PATH (readers see the old file or the
 * new one, never half of one). -1 with errno on failure (ENOSPC/EDQUOT stay visible: the monitor
 * falls back to a reserved file), the temporary file removed. */
int write_file_atomic(const char *path, const char *data, size_t len, mode_t mode);

/* A wait status as a shell reports it: the exit code, or 128+signal; 125 for anything else. */
int exit_code_of(int wait_status);

#endif
