/* conf.c - monitor.conf: "key=value" lines, value to end of line, no escaping, unknown
 * keys ignored, lists repeat the key. Values point into one static buffer. */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct conf g_conf;
static char text[32768];

static long num(const char *v)
{
    return strtol(v, NULL, 10);
}

static void set(char *k, char *v)
{
    struct conf *c = &g_conf;
    static size_t n_exit;
    if (!strcmp(k, "runtime")) c->runtime = v;
    else if (!strcmp(k, "runtime_root")) c->runtime_root = v;
    else if (!strcmp(k, "bundle")) c->bundle = v;
    else if (!strcmp(k, "id")) c->id = v;
    else if (!strcmp(k, "terminal")) c->terminal = num(v) != 0;
    else if (!strcmp(k, "stdin")) c->stdin_open = num(v) != 0;
    else if (!strcmp(k, "attach_wait")) c->attach_wait = num(v) != 0;
    else if (!strcmp(k, "log_max")) c->log_max = strtoull(v, NULL, 10);
    else if (!strcmp(k, "log_keep")) c->log_keep = (unsigned)num(v);
    else if (!strcmp(k, "restart_max")) c->restart_max = (unsigned)num(v);
    else if (!strcmp(k, "events")) c->events = v;
    else if (!strcmp(k, "rootfs_mount")) c->rootfs_mount = *v ? v : NULL;
    else if (!strcmp(k, "health_process")) c->health_process = *v ? v : NULL;
    else if (!strcmp(k, "health_interval_ms")) c->health_interval_ms = num(v);
    else if (!strcmp(k, "health_timeout_ms")) c->health_timeout_ms = num(v);
    else if (!strcmp(k, "health_start_period_ms")) c->health_start_period_ms = num(v);
    else if (!strcmp(k, "health_retries")) c->health_retries = num(v);
    else if (!strcmp(k, "exit_command")) {
        if (n_exit < MAX_EXIT_ARGS)
            c->exit_command[n_exit++] = v;
    } else if (!strcmp(k, "restart")) {
        /* docker's names; "on-failure:N" accepted too (restart_max wins when given) */
        if (!strcmp(v, "always")) c->restart = RP_ALWAYS;
        else if (!strcmp(v, "unless-stopped")) c->restart = RP_UNLESS_STOPPED;
        else if (!strncmp(v, "on-failure", 10)) {
            c->restart = RP_ON_FAILURE;
            if (v[10] == ':' && !c->restart_max)
                c->restart_max = (unsigned)num(v + 11);
        } else c->restart = RP_NO;
    }
}

/* The whole file into BUF (NUL-terminated); -1 (errno) when unreadable or too big for BUF. */
static int read_conf(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    if (len >= cap - 1) {
        errno = EFBIG;
        return -1;
    }
    buf[len] = 0;
    return 0;
}

int conf_load(const char *path)
{
    if (read_conf(path, text, sizeof(text)) < 0)
        return -1;
    g_conf.log_keep = 1;
    g_conf.health_interval_ms = 30000;
    g_conf.health_timeout_ms = 30000;
    g_conf.health_retries = 3;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        char *eq = strchr(line, '=');
        if (!eq || line[0] == '#')
            continue;
        *eq = 0;
        set(line, eq + 1);
    }
    if (!g_conf.runtime || !g_conf.bundle || !g_conf.id) {
        errno = EINVAL;
        return -1;
    }
    if (!g_conf.runtime_root)
        g_conf.runtime_root = "/run/ctui-runtime";
    if (g_conf.health_interval_ms <= 0)
        g_conf.health_interval_ms = 30000;
    if (g_conf.health_timeout_ms <= 0)
        g_conf.health_timeout_ms = 30000;
    if (g_conf.health_retries <= 0)
        g_conf.health_retries = 3;
    return 0;
}

/* `ctui update --restart` rewrites monitor.conf while the container runs: the policy is read
 * again at each exit, so the decision uses what the user set last (docker's daemon does the
 * same from its in-memory config). Only restart= and restart_max= are taken; everything else
 * keeps what this monitor started with. A missing or unreadable file keeps the old policy. */
void conf_reload_restart(const char *path)
{
    static char again[sizeof(text)];
    if (read_conf(path, again, sizeof(again)) < 0)
        return;
    char *policy = NULL, *max = NULL;
    for (char *line = again, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        if (!strncmp(line, "restart=", 8)) policy = line + 8;
        else if (!strncmp(line, "restart_max=", 12)) max = line + 12;
    }
    if (!policy)
        return;
    g_conf.restart_max = max ? (unsigned)num(max) : 0;
    set("restart", policy);
}
