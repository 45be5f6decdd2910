/* health.c - docker's HEALTHCHECK: every interval run `RUNTIME exec --process FILE ID`
 * with its output captured (4 KiB kept), SIGKILL its process group at the timeout;
 * healthy on success, unhealthy after `retries` consecutive failures (failures in the
 * start period do not count). health.json keeps the last 5 results. */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define KEEP 5
#define OUT_MAX 4096

struct result { char start[40], end[40]; int code; size_t len; char out[OUT_MAX]; };

static struct {
    pid_t pid;                   /* running check, 0 if none */
    int fd;                      /* its output pipe */
    int64_t next, kill_at, period_end;
    bool timed_out;
    int streak;
    const char *status;
    struct result cur;
    struct result log[KEEP];     /* ring: oldest at head */
    int head, n;
} h = { .fd = -1, .status = "starting" };

static bool enabled(void) { return g_conf.health_process != NULL; }

static void write_health(void)
{
    static char b[KEEP * (OUT_MAX * 2 + 200) + 200];
    size_t p = 0;
    char n[24];
    buf_add(b, &p, sizeof(b), "{\"Status\":\"");
    buf_add(b, &p, sizeof(b), h.status);
    buf_add(b, &p, sizeof(b), "\",\"FailingStreak\":");
    fmt_i64(n, h.streak);
    buf_add(b, &p, sizeof(b), n);
    buf_add(b, &p, sizeof(b), ",\"Log\":[");
    for (int i = 0; i < h.n; i++) {
        const struct result *r = &h.log[(h.head + i) % KEEP];
        buf_add(b, &p, sizeof(b), i ? ",{\"Start\":\"" : "{\"Start\":\"");
        buf_add(b, &p, sizeof(b), r->start);
        buf_add(b, &p, sizeof(b), "\",\"End\":\"");
        buf_add(b, &p, sizeof(b), r->end);
        buf_add(b, &p, sizeof(b), "\",\"ExitCode\":");
        fmt_i64(n, r->code);
        buf_add(b, &p, sizeof(b), n);
        buf_add(b, &p, sizeof(b), ",\"Output\":\"");
        json_str(b, &p, sizeof(b) - 16, r->out, r->len);
        buf_add(b, &p, sizeof(b), "\"}");
    }
    buf_add(b, &p, sizeof(b), "]}\n");
    write_file_atomic("health.json", b, p, 0644);
}

void health_reset(void)
{
    if (!enabled())
        return;
    int64_t now = now_ms();
    h.next = now + g_conf.health_interval_ms;
    h.period_end = now + g_conf.health_start_period_ms;
    h.streak = 0;
    h.status = "starting";
    write_health();
}

void health_stop(void)
{
    if (h.pid > 0)
        kill(-h.pid, SIGKILL);
    h.next = 0;
}

int64_t health_deadline(void)
{
    if (!enabled() || !ctr()->running)
        return h.pid > 0 ? h.kill_at : -1;
    if (h.pid > 0)
        return h.kill_at;
    return h.next;
}

int health_fd(void) { return h.fd; }

static void start_check(void)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0)
        return;
    const char *av[] = { g_conf.runtime, "--root", g_conf.runtime_root, "exec", "--process",
                         g_conf.health_process, g_conf.id, NULL };
    now_rfc3339(h.cur.start);
    h.cur.len = 0;
    h.timed_out = false;
    pid_t pid = fork();
    if (pid == 0) {
        reset_signals();
        setpgid(0, 0); /* its own group: the timeout kills the whole check */
        int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
        dup2(nul, 0);
        dup2(p[1], 1);
        dup2(p[1], 2);
        execv(av[0], (char *const *)av);
        _exit(127);
    }
    close(p[1]);
    if (pid < 0) {
        close(p[0]);
        return;
    }
    setpgid(pid, pid);
    h.pid = pid;
    h.fd = p[0];
    set_nonblock(h.fd);
    h.kill_at = now_ms() + g_conf.health_timeout_ms;
}

void health_tick(void)
{
    int64_t now = now_ms();
    if (h.pid > 0) {
        if (now >= h.kill_at && !h.timed_out) {
            h.timed_out = true;
            kill(-h.pid, SIGKILL);
            h.kill_at = now + 60000; /* nothing more to do until it is reaped */
        }
        return;
    }
    if (!enabled() || !ctr()->running || !h.next || now < h.next)
        return;
    h.next = now + g_conf.health_interval_ms;
    start_check();
}

void health_read(void)
{
    char b[IO_BUF];
    for (;;) {
        ssize_t n = read(h.fd, b, sizeof(b));
        if (n > 0) {
            size_t take = (size_t)n;
            if (take > OUT_MAX - h.cur.len)
                take = OUT_MAX - h.cur.len;
            memcpy(h.cur.out + h.cur.len, b, take);
            h.cur.len += take;
            continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            close(h.fd);
            h.fd = -1;
        }
        return;
    }
}

static void set_status(const char *s)
{
    if (h.status == s || !strcmp(h.status, s))
        return;
    h.status = s;
    char ev[48] = "health_status: ";
    strcat(ev, s);
    event_append(ev, -1);
}

bool health_reap(pid_t pid, int wstatus)
{
    if (!h.pid || pid != h.pid)
        return false;
    h.pid = 0;
    if (h.fd >= 0) {
        health_read();
        if (h.fd >= 0) {
            close(h.fd);
            h.fd = -1;
        }
    }
    if (!ctr()->running)
        return true; /* the container exited meanwhile: this result means nothing */
    int code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    if (h.timed_out) {
        static const char msg[] = "Health check exceeded timeout";
        code = -1;
        memcpy(h.cur.out, msg, sizeof(msg) - 1);
        h.cur.len = sizeof(msg) - 1;
    } else if (code != 0 && memmem(h.cur.out, h.cur.len, "paused", 6)) {
        return true; /* the runtime refused: container paused; docker skips those too */
    }
    now_rfc3339(h.cur.end);
    h.cur.code = code;
    if (h.n < KEEP)
        h.log[(h.head + h.n++) % KEEP] = h.cur;
    else {
        h.log[h.head] = h.cur;
        h.head = (h.head + 1) % KEEP;
    }
    if (code == 0) {
        h.streak = 0;
        h.period_end = 0; /* a first success ends the start period */
        set_status("healthy");
    } else if (now_ms() >= h.period_end) {
        if (++h.streak >= g_conf.health_retries)
            set_status("unhealthy");
    }
    write_health();
    return true;
}
