/* exectty.c - `ctui-monitor --exec-tty SOCK PIDFILE -- RUNTIME ARGS...`: an exec whose terminal is
 * driven over pipes instead of a terminal of ours. The TUI's in-pane exec needs this: it has no
 * terminal to give the runtime (its stdin is the user's, drawn by the UI), yet the exec wants a pty
 * and a window size that follows the pane. conmon does the same for podman's `exec -t`.
 *
 * The caller passes RUNTIME ARGS for a detached exec with `--console-socket SOCK --pid-file
 * PIDFILE` (ctui-runtime and runc take the same line). We listen on SOCK, the runtime sends the
 * pty master and exits once the process runs; being a subreaper, the process is then our child and
 * its exit status ours to report. Meanwhile:
 *   fd 0 (pipe)  -> the pty (keys)          fd 1 (pipe) <- the pty (screen)
 *   fd 3 (pipe)  "ROWS COLS\n" lines: window size, set at once and on every later line
 *   fd 2         `err CODE MESSAGE\n` when the process could not be started (CODE 127/126 as
 *                docker, from the runtime's own words) or on a failure of ours (125); nothing else
 * Exit status: the process's (128+N when killed by signal N), or CODE after an `err` line.
 * The caller going away (PDEATHSIG) or a TERM/HUP/INT ends us; the master closes and the kernel
 * hangs up the exec's session, as when a terminal window closes. */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define CONTROL_FD 3
#define DRAIN_MAX (1 << 20) /* after the exit: what is left, not what a child keeps writing */

static pid_t rt; /* the runtime while it runs */
static const char *sock_path;

/* The one error line (the monitor's status-line format) and the exit with its code. */
static void __attribute__((noreturn)) fail_with(int code, const char *a, const char *b)
{
    char line[1200], n[24];
    size_t p = 0;
    buf_add(line, &p, sizeof(line), "err ");
    fmt_i64(n, code);
    buf_add(line, &p, sizeof(line), n);
    buf_add(line, &p, sizeof(line), " ");
    buf_add(line, &p, sizeof(line), a);
    if (b) {
        buf_add(line, &p, sizeof(line), ": ");
        buf_add(line, &p, sizeof(line), b);
    }
    for (size_t i = 4; i < p; i++)
        if (line[i] == '\n')
            line[i] = ' ';
    buf_add(line, &p, sizeof(line), "\n");
    if (write_all(2, line, p) < 0) { /* nobody listening */ }
    if (rt > 0)
        kill(rt, SIGKILL); /* never left running without us */
    if (sock_path)
        unlink(sock_path);
    _exit(code);
}

static void __attribute__((noreturn)) fail(const char *what)
{
    fail_with(125, what, errno ? strerror(errno) : NULL);
}

/* Children we reaped, by pid: the exec's process can exit (and be reaped) before we learn its pid
 * from the pid file, e.g. `exec true`. */
static struct { pid_t pid; int status; } reaped[16];
static unsigned n_reaped;

static void remember(pid_t pid, int status)
{
    reaped[n_reaped % 16].pid = pid;
    reaped[n_reaped % 16].status = status;
    n_reaped++;
}

static bool reaped_status(pid_t pid, int *status)
{
    for (unsigned i = 0; i < 16 && i < n_reaped; i++)
        if (reaped[i].pid == pid) {
            *status = reaped[i].status;
            return true;
        }
    return false;
}

static pid_t spawn_runtime(char **argv, int errfd)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    reset_signals();
    int nul = devnull(O_RDWR);
    /* The runtime gets no terminal and no keys of ours; the process gets them through the pty. */
    dup2(nul, 0);
    dup2(nul, 1);
    dup2(errfd, 2);
    execvp(argv[0], argv);
    _exit(127);
}

/* Window size: the control pipe's last complete line wins. */
static char ctl_buf[128];
static size_t ctl_len;
static struct winsize want;
static bool have_size;

static bool read_control(int fd)
{
    ssize_t n = read(fd, ctl_buf + ctl_len, sizeof(ctl_buf) - 1 - ctl_len);
    if (n <= 0)
        return n < 0 && (errno == EINTR || errno == EAGAIN);
    ctl_len += (size_t)n;
    char *nl;
    while ((nl = memchr(ctl_buf, '\n', ctl_len))) {
        *nl = 0;
        unsigned r, c;
        if (sscanf(ctl_buf, "%u %u", &r, &c) == 2 && r > 0 && c > 0 && r < 10000 && c < 10000) {
            want = (struct winsize){ .ws_row = (unsigned short)r, .ws_col = (unsigned short)c };
            have_size = true;
        }
        size_t used = (size_t)(nl - ctl_buf) + 1;
        memmove(ctl_buf, nl + 1, ctl_len - used);
        ctl_len -= used;
    }
    if (ctl_len == sizeof(ctl_buf) - 1)
        ctl_len = 0; /* a line that long is garbage */
    return true;
}

/* The runtime's stderr: its last lines, for the error it exits with. */
static char rt_err[2048];
static size_t rt_err_len;

/* Appends what one read gives; -1 at EOF or error, 0 when nothing is there now, else 1. */
static int read_rt_err(int fd)
{
    char b[1024];
    ssize_t n = fd < 0 ? -1 : read(fd, b, sizeof(b));
    if (n <= 0)
        return n < 0 && (errno == EINTR || errno == EAGAIN) ? 0 : -1;
    if ((size_t)n >= sizeof(rt_err)) {
        rt_err_len = 0;
        n = sizeof(rt_err) - 1;
    } else if (rt_err_len + (size_t)n >= sizeof(rt_err)) {
        size_t drop = rt_err_len + (size_t)n - (sizeof(rt_err) - 1);
        memmove(rt_err, rt_err + drop, rt_err_len - drop);
        rt_err_len -= drop;
    }
    memcpy(rt_err + rt_err_len, b, (size_t)n);
    rt_err_len += (size_t)n;
    return 1;
}

/* The runtime failed: its last non-empty line, cleaned (runc's logrus) and mapped as docker. */
static void __attribute__((noreturn)) runtime_failed(int errfd, int code)
{
    while (read_rt_err(errfd) > 0) { /* what is left (non-blocking) */ }
    rt_err[rt_err_len] = 0;
    char *end = rt_err + rt_err_len;
    while (end > rt_err && (end[-1] == '\n' || end[-1] == ' '))
        *--end = 0;
    char *line = strrchr(rt_err, '\n');
    line = line ? line + 1 : rt_err;
    char msg[1024];
    clean_error(msg, sizeof(msg), *line ? line : "the runtime failed without a word");
    rt = 0;
    fail_with(code == 126 || code == 127 ? code : error_code(msg), msg, NULL);
}

/* The screen still queued, then what the process wrote before it exited (bounded: a child of it
 * may hold the pty and keep writing). Blocking now: the reader takes it, or it is gone (EPIPE). */
static void drain(int master, const char *queued, size_t len)
{
    int fl = fcntl(1, F_GETFL);
    if (fl >= 0)
        fcntl(1, F_SETFL, fl & ~O_NONBLOCK);
    if (len && write_all(1, queued, len) < 0)
        return;
    if (master < 0)
        return;
    char b[IO_BUF];
    ssize_t n;
    size_t total = 0;
    while (total < DRAIN_MAX && (n = read(master, b, sizeof(b))) > 0) {
        if (write_all(1, b, (size_t)n) < 0)
            break;
        total += (size_t)n;
    }
}

int exec_tty_main(int argc, char **argv)
{
    if (argc < 6 || strcmp(argv[4], "--") != 0) {
        errno = 0;
        fail("usage: ctui-monitor --exec-tty SOCK PIDFILE -- RUNTIME ARGS...");
    }
    /* First, before any fd of ours could take the number: is there a control pipe on fd 3? */
    int ctl = fcntl(CONTROL_FD, F_GETFD) >= 0 ? CONTROL_FD : -1;
    if (ctl >= 0)
        fcntl(ctl, F_SETFD, FD_CLOEXEC);
    const char *sock = argv[2], *pidfile = argv[3];
    pid_t parent = getppid();
    /* Our caller is the session's owner: when it dies, so do we (and the terminal hangs up). */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent)
        _exit(125);
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
        fail("PR_SET_CHILD_SUBREAPER");
    signal(SIGPIPE, SIG_IGN);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGCHLD);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGHUP);
    sigprocmask(SIG_BLOCK, &s, NULL);
    int sigfd = signalfd(-1, &s, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sigfd < 0)
        fail("signalfd");
    int lfd = console_listen(sock);
    if (lfd < 0)
        fail("listen on the console socket");
    sock_path = sock;
    unlink(pidfile);
    int ep[2];
    if (pipe2(ep, O_CLOEXEC) < 0)
        fail("pipe");
    rt = spawn_runtime(argv + 5, ep[1]);
    close(ep[1]);
    if (rt < 0)
        fail("fork");
    int errfd = ep[0];
    set_nonblock(errfd);

    int master = -1, status = 0, procfd = -1;
    pid_t proc = 0;
    bool in_open = true, out_open = true, reader = true;
    char pend[IO_BUF], screen[IO_BUF];
    size_t pend_len = 0, screen_len = 0;
    /* The screen goes out without ever blocking us: a slow reader holds back the program (we stop
     * reading the pty, it fills), never our keys, window sizes or signals. */
    set_nonblock(1);
    for (;;) {
        struct pollfd p[8];
        int n = 0, i_sig = n++, i_l = -1, i_m = -1, i_in = -1, i_c = -1, i_e = -1, i_p = -1, i_o = -1;
        p[i_sig] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
        if (lfd >= 0)
            i_l = n, p[n++] = (struct pollfd){ .fd = lfd, .events = POLLIN };
        bool want_out = out_open && !screen_len;
        if (master >= 0 && (want_out || pend_len))
            i_m = n, p[n++] = (struct pollfd){ .fd = master, .events = (short)((want_out ? POLLIN : 0) | (pend_len ? POLLOUT : 0)) };
        if (screen_len)
            i_o = n, p[n++] = (struct pollfd){ .fd = 1, .events = POLLOUT };
        /* Keys wait while the pty's input queue is full (the program is not reading): never block. */
        if (master >= 0 && in_open && !pend_len)
            i_in = n, p[n++] = (struct pollfd){ .fd = 0, .events = POLLIN };
        if (ctl >= 0)
            i_c = n, p[n++] = (struct pollfd){ .fd = ctl, .events = POLLIN };
        if (errfd >= 0)
            i_e = n, p[n++] = (struct pollfd){ .fd = errfd, .events = POLLIN };
        if (procfd >= 0)
            i_p = n, p[n++] = (struct pollfd){ .fd = procfd, .events = POLLIN };
        if (poll(p, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            fail("poll");
        }
        for (int i = 0; i < n; i++)
            if (p[i].revents & POLLNVAL) {
                errno = EBADF;
                fail("poll"); /* a bug of ours: never spin */
            }
        if (i_l >= 0 && p[i_l].revents) {
            /* The runtime connected (that is what woke us): its one message follows at once. */
            master = console_receive(lfd, 1000);
            close(lfd);
            lfd = -1;
            unlink(sock);
            if (master < 0)
                fail("no terminal came from the runtime");
            set_nonblock(master);
            if (have_size)
                ioctl(master, TIOCSWINSZ, &want);
        }
        if (i_c >= 0 && p[i_c].revents) {
            if (!read_control(ctl)) {
                close(ctl);
                ctl = -1;
            } else if (have_size && master >= 0) {
                ioctl(master, TIOCSWINSZ, &want); /* the kernel sends the foreground group SIGWINCH */
            }
        }
        if (i_e >= 0 && p[i_e].revents && read_rt_err(errfd) < 0) {
            close(errfd); /* EOF: the runtime (and whatever inherited its stderr) is done with it */
            errfd = -1;
        }
        if (i_o >= 0 && p[i_o].revents) {
            ssize_t w = write(1, screen, screen_len);
            if (w > 0) {
                memmove(screen, screen + w, screen_len - (size_t)w);
                screen_len -= (size_t)w;
            } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
                screen_len = 0;
                reader = false; /* gone: the pty is still read (and dropped), so the program runs on */
            }
        }
        if (i_m >= 0 && (p[i_m].revents & (POLLIN | POLLHUP | POLLERR)) && want_out) {
            ssize_t r = read(master, screen, sizeof(screen));
            if (r > 0) {
                screen_len = reader ? (size_t)r : 0;
            } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
                out_open = false; /* EIO: no slave left open (the program and its children exited) */
            }
        }
        if (i_m >= 0 && (p[i_m].revents & POLLOUT) && pend_len) {
            ssize_t w = write(master, pend, pend_len);
            if (w > 0) {
                memmove(pend, pend + w, pend_len - (size_t)w);
                pend_len -= (size_t)w;
            } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
                pend_len = 0;
                in_open = false;
            }
        }
        if (i_in >= 0 && p[i_in].revents) {
            ssize_t r = read(0, pend, sizeof(pend));
            if (r > 0)
                pend_len = (size_t)r;
            else if (r == 0 || (errno != EINTR && errno != EAGAIN))
                in_open = false;
        }
        if (p[i_sig].revents) {
            struct signalfd_siginfo si;
            while (read(sigfd, &si, sizeof(si)) == sizeof(si)) {
                if (si.ssi_signo == SIGCHLD)
                    continue;
                if (rt > 0)
                    kill(rt, SIGKILL);
                unlink(sock);
                _exit(128 + (int)si.ssi_signo);
            }
            pid_t w;
            int st;
            while ((w = waitpid(-1, &st, WNOHANG)) > 0) {
                if (w != rt) {
                    remember(w, st);
                    continue;
                }
                if (exit_code_of(st) != 0)
                    runtime_failed(errfd, exit_code_of(st));
                rt = 0;
                proc = read_pid_at(pidfile);
                unlink(pidfile);
                if (!proc) {
                    errno = 0;
                    fail("the runtime wrote no pid file");
                }
                /* Re-parented to us when the runtime exited (both runtimes do so). Should it not be
                 * our child, follow it through a pidfd rather than wait for a SIGCHLD that never comes;
                 * its code is then unknown (0). */
                if (!reaped_status(proc, &status)) {
                    pid_t r = waitpid(proc, &status, WNOHANG);
                    if (r == proc) {
                        remember(proc, status);
                    } else if (r < 0 && errno == ECHILD) {
                        procfd = (int)syscall(SYS_pidfd_open, proc, 0);
                        if (procfd < 0)
                            fail("follow the exec's process");
                    } /* else: our child, running; its SIGCHLD comes */
                }
            }
        }
        if (i_p >= 0 && p[i_p].revents) {
            if (reader)
                drain(out_open ? master : -1, screen, screen_len);
            _exit(0);
        }
        if (proc && reaped_status(proc, &status)) {
            if (reader)
                drain(out_open ? master : -1, screen, screen_len);
            _exit(exit_code_of(status));
        }
    }
}
