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
 *   fd 2         the runtime's errors and ours, one line each
 * Exit status: the process's (128+N when killed by signal N); the runtime's when it failed (its
 * line on fd 2 says why: 126/127 as docker); 125 for a failure of ours.
 * The caller going away (PDEATHSIG) or a TERM/HUP/INT ends us; the master closes and the kernel
 * hangs up the exec's session, as when a terminal window closes. */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define CONTROL_FD 3

static void say(const char *what)
{
    char b[512];
    size_t p = 0;
    buf_add(b, &p, sizeof(b), "ctui-monitor: exec terminal: ");
    buf_add(b, &p, sizeof(b), what);
    if (errno) {
        buf_add(b, &p, sizeof(b), ": ");
        buf_add(b, &p, sizeof(b), strerror(errno));
    }
    buf_add(b, &p, sizeof(b), "\n");
    if (write_all(2, b, p) < 0) { /* nobody listening */ }
}

static void __attribute__((noreturn)) fail(const char *what)
{
    say(what);
    _exit(125);
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

static pid_t read_pid(const char *file)
{
    char b[32];
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, b, sizeof(b) - 1);
    close(fd);
    if (n <= 0)
        return 0;
    b[n] = 0;
    long v = strtol(b, NULL, 10);
    return v > 0 ? (pid_t)v : 0;
}

static pid_t spawn_runtime(char **argv)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    reset_signals();
    int nul = devnull(O_RDWR);
    /* The runtime gets no terminal and no keys of ours; the process gets them through the pty. */
    dup2(nul, 0);
    dup2(nul, 1);
    execvp(argv[0], argv);
    say("cannot run the runtime");
    _exit(125);
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

/* What the process wrote before it exited. */
static void drain(int master)
{
    char b[IO_BUF];
    ssize_t n;
    while ((n = read(master, b, sizeof(b))) > 0)
        if (write_all(1, b, (size_t)n) < 0)
            break;
}

int exec_tty_main(int argc, char **argv)
{
    if (argc < 6 || strcmp(argv[4], "--") != 0) {
        errno = 0;
        fail("usage: ctui-monitor --exec-tty SOCK PIDFILE -- RUNTIME ARGS...");
    }
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
    int ctl = fcntl(CONTROL_FD, F_GETFD) >= 0 ? CONTROL_FD : -1;
    if (ctl >= 0)
        fcntl(ctl, F_SETFD, FD_CLOEXEC);
    int lfd = console_listen(sock);
    if (lfd < 0)
        fail("listen on the console socket");
    unlink(pidfile);
    pid_t rt = spawn_runtime(argv + 5);
    if (rt < 0)
        fail("fork");

    int master = -1, status = 0;
    pid_t proc = 0;
    bool in_open = true, out_open = true;
    char pend[IO_BUF];
    size_t pend_len = 0;
    for (;;) {
        struct pollfd p[5];
        int n = 0, i_sig = n++, i_l = -1, i_m = -1, i_in = -1, i_c = -1;
        p[i_sig] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
        if (lfd >= 0)
            i_l = n, p[n++] = (struct pollfd){ .fd = lfd, .events = POLLIN };
        if (master >= 0 && (out_open || pend_len))
            i_m = n, p[n++] = (struct pollfd){ .fd = master, .events = (short)((out_open ? POLLIN : 0) | (pend_len ? POLLOUT : 0)) };
        /* Keys wait while the pty's input queue is full (the program is not reading): never block. */
        if (master >= 0 && in_open && !pend_len)
            i_in = n, p[n++] = (struct pollfd){ .fd = 0, .events = POLLIN };
        if (ctl >= 0)
            i_c = n, p[n++] = (struct pollfd){ .fd = ctl, .events = POLLIN };
        if (poll(p, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            fail("poll");
        }
        if (i_l >= 0 && p[i_l].revents) {
            master = console_receive(lfd, 5000);
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
        if (i_m >= 0 && (p[i_m].revents & (POLLIN | POLLHUP | POLLERR)) && out_open) {
            char b[IO_BUF];
            ssize_t r = read(master, b, sizeof(b));
            if (r > 0) {
                if (write_all(1, b, (size_t)r) < 0) { /* the reader is gone: keep draining */ }
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
                if (w == rt) {
                    rt = 0;
                    if (exit_code_of(st) != 0) {
                        unlink(sock);
                        _exit(exit_code_of(st)); /* it said why on fd 2 */
                    }
                    proc = read_pid(pidfile);
                    unlink(pidfile);
                    if (!proc) {
                        errno = 0;
                        fail("the runtime wrote no pid file");
                    }
                } else {
                    remember(w, st);
                }
            }
        }
        if (proc && reaped_status(proc, &status)) {
            if (master >= 0 && out_open)
                drain(master);
            _exit(exit_code_of(status));
        }
    }
}
