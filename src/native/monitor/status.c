/* status.c - status.json (rewritten atomically on every transition; the core reads it
 * for ps/inspect) and the shared events log (JSON lines, one O_APPEND write each, so
 * lines from concurrent ctui processes and monitors never interleave). */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A full disk must not cost the container's exit code. The container's writable layer lives on
 * the store's filesystem, so a container that fills it leaves no room for the tmp file of our
 * next status.json, and the exit would read as "exit code unknown" (255). So the monitor keeps
 * one block allocated in advance (status.reserve): when a normal write fails for lack of space,
 * the status is written into that block (no allocation: it is overwritten in place and shrunk)
 * and renamed over status.json, which frees the old status.json's block for the next reserve. */
#define RESERVE "status.reserve"
#define RESERVE_SIZE 4096

void status_reserve(void)
{
    int fd = open(RESERVE, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return;
    if (fallocate(fd, 0, 0, RESERVE_SIZE) < 0) {
        /* no fallocate on this filesystem: real bytes hold the space as well */
        static const char zero[RESERVE_SIZE];
        if (write_all(fd, zero, sizeof(zero)) < 0) { /* no space even now: nothing to hold */ }
    }
    close(fd);
}

static int write_reserved(const char *data, size_t len)
{
    if (len > RESERVE_SIZE)
        return -1;
    int fd = open(RESERVE, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return -1;
    int r = -1;
    if (pwrite(fd, data, len, 0) == (ssize_t)len && ftruncate(fd, (off_t)len) == 0)
        r = rename(RESERVE, "status.json");
    close(fd);
    if (r == 0)
        status_reserve();
    return r;
}

void status_write(const char *status)
{
    char b[1400], n[24];
    size_t p = 0;
    buf_add(b, &p, sizeof(b), "{\"status\":\"");
    buf_add(b, &p, sizeof(b), status);
    buf_add(b, &p, sizeof(b), "\",\"pid\":");
    fmt_i64(n, ctr()->running ? ctr()->pid : 0);
    buf_add(b, &p, sizeof(b), n);
    buf_add(b, &p, sizeof(b), ",\"startedAt\":\"");
    buf_add(b, &p, sizeof(b), ctr()->started_at[0] ? ctr()->started_at : "0001-01-01T00:00:00Z");
    buf_add(b, &p, sizeof(b), "\",\"finishedAt\":\"");
    buf_add(b, &p, sizeof(b), ctr()->finished_at[0] ? ctr()->finished_at : "0001-01-01T00:00:00Z");
    buf_add(b, &p, sizeof(b), "\",\"exitCode\":");
    fmt_i64(n, ctr()->exit_code);
    buf_add(b, &p, sizeof(b), n);
    buf_add(b, &p, sizeof(b), ",\"restartCount\":");
    fmt_i64(n, ctr()->restart_count);
    buf_add(b, &p, sizeof(b), n);
    buf_add(b, &p, sizeof(b), ",\"error\":\"");
    json_str(b, &p, sizeof(b) - 4, ctr()->error, strlen(ctr()->error));
    buf_add(b, &p, sizeof(b), "\"}\n");
    if (write_file_atomic("status.json", b, p, 0644) < 0 && (errno == ENOSPC || errno == EDQUOT))
        write_reserved(b, p);
}

void event_append(const char *action, int exit_code)
{
    if (!g_conf.events || !*g_conf.events)
        return;
    char b[1024], n[24];
    size_t p = 0;
    buf_add(b, &p, sizeof(b), "{\"time\":");
    fmt_u64(n, now_unix_nanos());
    buf_add(b, &p, sizeof(b), n);
    buf_add(b, &p, sizeof(b), ",\"type\":\"container\",\"action\":\"");
    json_str(b, &p, sizeof(b) - 200, action, strlen(action));
    buf_add(b, &p, sizeof(b), "\",\"id\":\"");
    json_str(b, &p, sizeof(b) - 100, g_conf.id, strlen(g_conf.id));
    buf_add(b, &p, sizeof(b), "\",\"attributes\":{");
    if (exit_code >= 0) {
        buf_add(b, &p, sizeof(b), "\"exitCode\":\"");
        fmt_i64(n, exit_code);
        buf_add(b, &p, sizeof(b), n);
        buf_add(b, &p, sizeof(b), "\"");
    }
    buf_add(b, &p, sizeof(b), "}}\n");
    int fd = open(g_conf.events, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return; /* events are best effort */
    if (write(fd, b, p) < 0) { /* best effort */ }
    close(fd);
}
