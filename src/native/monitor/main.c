/* main.c - ctui-monitor CDIR: start-up (double fork, fd hygiene, subreaper, pid file)
 * and the poll loop that ties the modules together:
 *   child.c   the container through the runtime, exit, restart policy
 *   logw.c    ctr.log (CRI) with rotation        attach.c  attach.sock clients
 *   health.c  healthchecks                        status.c  status.json, events
 *   conf.c    monitor.conf                        util.c    helpers
 *   console.c the console socket's receiving end
 * and a second, short-lived job: exectty.c (`--exec-tty`), an exec's terminal over pipes. */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

static void die_early(const char *what)
{
    /* Before the status pipe is usable: stderr (the caller reads it) and exit. */
    const char *e = strerror(errno);
    char b[512];
    size_t p = 0;
    buf_add(b, &p, sizeof(b), "ctui-monitor: ");
    buf_add(b, &p, sizeof(b), what);
    buf_add(b, &p, sizeof(b), ": ");
    buf_add(b, &p, sizeof(b), e);
    buf_add(b, &p, sizeof(b), "\n");
    if (write(2, b, p) < 0) { /* nowhere to report */ }
    if (g_status_fd >= 0) {
        char s[560] = "err 125 ";
        memcpy(s + 8, b + 14, p - 14 + 1);
        if (write(g_status_fd, s, strlen(s)) < 0) { /* caller gone */ }
    }
    _exit(1);
}

/* fork; the child setsid()s and forks again; the grandchild (not a session leader, so
 * it can never acquire a controlling terminal) is the monitor. The caller reaps the
 * first process; the second exits at once and is reaped by init. */
static void daemonize(void)
{
    pid_t p = fork();
    if (p < 0)
        die_early("fork");
    if (p > 0)
        _exit(0);
    if (setsid() < 0)
        die_early("setsid");
    p = fork();
    if (p < 0)
        die_early("fork");
    if (p > 0)
        _exit(0);
}

static void write_pid_file(void)
{
    char b[64];
    pid_t me = getpid();
    size_t n = fmt_u64(b, (uint64_t)me);
    b[n++] = ' ';
    n += fmt_u64(b + n, proc_start_time(me, NULL));
    b[n++] = '\n';
    if (write_file_atomic("monitor.pid", b, n, 0644) < 0)
        die_early("write monitor.pid");
}

static void fd_hygiene(void)
{
    /* Nothing of the caller's (node's epoll fds, pipes...) may stay open in a process
     * that lives as long as the container, nor leak into the runtime/container. */
    if (syscall(SYS_close_range, 4U, ~0U, 0) < 0) {
        for (int fd = 4; fd < 1024; fd++)
            close(fd);
    }
    int nul = open("/dev/null", O_RDWR);
    if (nul < 0)
        die_early("open /dev/null");
    for (int fd = 0; fd < 3; fd++)
        if (fd != nul)
            dup2(nul, fd);
    if (nul > 2)
        close(nul);
    if (fcntl(3, F_GETFD) >= 0)
        fcntl(3, F_SETFD, FD_CLOEXEC);
    else
        g_status_fd = -1;
}

static int setup_signals(void)
{
    /* The container's life is not the monitor's to end: TERM/INT/HUP are ignored (the
     * core stops containers through the runtime). SIGPIPE: dead clients are EPIPE. */
    signal(SIGTERM, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGCHLD);
    sigprocmask(SIG_BLOCK, &s, NULL);
    int fd = signalfd(-1, &s, SFD_CLOEXEC | SFD_NONBLOCK);
    if (fd < 0)
        die_early("signalfd");
    return fd;
}

static void reap(void)
{
    int st;
    pid_t p;
    while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
        if (health_reap(p, st))
            continue;
        if (ctr()->running && p == ctr()->pid)
            ctr_on_exit(st);
        /* anything else: orphans of the container re-parented to us (subreaper) */
    }
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--exec-tty") == 0)
        return exec_tty_main(argc, argv);
    if (argc != 2 || argv[1][0] != '/') {
        errno = EINVAL;
        g_status_fd = -1;
        die_early("usage: ctui-monitor /ABSOLUTE/CONTAINER/DIR");
    }
    if (fcntl(3, F_GETFD) < 0)
        g_status_fd = -1;
    if (chdir(argv[1]) < 0)
        die_early("chdir to the container dir");
    if (conf_load("monitor.conf") < 0)
        die_early("read monitor.conf");
    daemonize();
    fd_hygiene();
    /* Subreaper: the container init (orphaned by `runtime create`) and every process
     * the runtime leaves behind becomes our child, so we get its exit status. */
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
        die_early("PR_SET_CHILD_SUBREAPER");
    g_cdir_fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    int sigfd = setup_signals();
    write_pid_file();
    status_reserve();
    if (attach_listen() < 0)
        die_early("listen on attach.sock");
    log_open();
    if (!ctr_start(true)) {
        status_write("exited");
        unlink("attach.sock");
        _exit(0);
    }

    static struct pollfd p[24];
    for (;;) {
        int n = 0;
        p[n++] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
        p[n++] = (struct pollfd){ .fd = g_listen_fd, .events = POLLIN };
        int i_out = -1, i_err = -1, i_in = -1, i_h = -1;
        if (ctr()->out_fd >= 0)
            i_out = n, p[n++] = (struct pollfd){ .fd = ctr()->out_fd, .events = POLLIN };
        if (ctr()->err_fd >= 0)
            i_err = n, p[n++] = (struct pollfd){ .fd = ctr()->err_fd, .events = POLLIN };
        bool pending = ctr_stdin_pending();
        if (pending)
            i_in = n, p[n++] = (struct pollfd){ .fd = ctr()->in_fd, .events = POLLOUT };
        if (health_fd() >= 0)
            i_h = n, p[n++] = (struct pollfd){ .fd = health_fd(), .events = POLLIN };
        int i_cl = n, n_cl = attach_npoll();
        attach_fill_poll(p + n, !pending);
        n += n_cl;

        int64_t now = now_ms(), deadline = -1;
        if (ctr()->restarting)
            deadline = ctr()->restart_at;
        if (ctr()->kill_at && (deadline < 0 || ctr()->kill_at < deadline))
            deadline = ctr()->kill_at;
        int64_t hd = health_deadline();
        if (hd > 0 && (deadline < 0 || hd < deadline))
            deadline = hd;
        int timeout = deadline < 0 ? -1 : deadline <= now ? 0 : (int)(deadline - now);
        int r = poll(p, (nfds_t)n, timeout);
        if (r < 0 && errno != EINTR)
            die_early("poll");
        if (r > 0) {
            if (i_out >= 0 && p[i_out].revents)
                ctr_read_output(p[i_out].fd, 1);
            if (i_err >= 0 && p[i_err].revents)
                ctr_read_output(p[i_err].fd, 2);
            if (i_in >= 0 && p[i_in].revents)
                ctr_flush_stdin();
            if (i_h >= 0 && p[i_h].revents)
                health_read();
            attach_handle_poll(p + i_cl, n_cl);
            if (p[1].revents)
                attach_accept();
            if (p[0].revents) {
                struct signalfd_siginfo si;
                while (read(sigfd, &si, sizeof(si)) == sizeof(si))
                    ;
                reap();
            }
        }
        health_tick();
        if (ctr()->kill_at && now_ms() >= ctr()->kill_at)
            ctr_kill_due();
        if (ctr()->restarting && (ctr()->norestart || now_ms() >= ctr()->restart_at))
            ctr_restart_due();
    }
}
