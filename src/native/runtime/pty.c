/* pty.c - terminal handling. The pty is allocated INSIDE the container from its own
 * devpts instance (newinstance): the host's /dev/pts is never visible to the container
 * and a pty index cannot collide with or reveal host ttys. TIOCGPTPEER opens the slave
 * from the master fd itself, so no path lookup (raceable by the container) is needed. */
#include "pty.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define STAGE "console"

int pty_create_and_send(int console_sock, unsigned short rows, unsigned short cols)
{
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0)
        die_errno(STAGE, "open /dev/ptmx in the container (is /dev/pts mounted with newinstance?)");
    /* The path is under the container's control (an `exec` opens it in a running
     * container): insist on the real ptmx device (5:2) before trusting it as a pty. */
    struct stat sb;
    if (fstat(master, &sb) < 0 || !S_ISCHR(sb.st_mode) || major(sb.st_rdev) != 5 || minor(sb.st_rdev) != 2)
        die_msg(STAGE, "/dev/ptmx in the container is not the ptmx device");
    int unlock = 0;
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
        die_errno(STAGE, "unlockpt");
    int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0)
        die_errno(STAGE, "open pty slave (TIOCGPTPEER)");
    /* process.consoleSize: the size the program sees from its first ioctl (runc does the same). */
    if ((rows || cols) && ioctl(master, TIOCSWINSZ, &(struct winsize){ .ws_row = rows, .ws_col = cols }) < 0)
        die_errno(STAGE, "set the console size %ux%u", (unsigned)cols, (unsigned)rows);
    unsigned n = 0;
    char name[64] = "/dev/pts/?";
    if (ioctl(master, TIOCGPTN, &n) == 0)
        snprintf(name, sizeof(name), "/dev/pts/%u", n);

    char cbuf[CMSG_SPACE(sizeof(int))];
    memset(cbuf, 0, sizeof(cbuf));
    struct iovec iov = { .iov_base = name, .iov_len = strlen(name) };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
                          .msg_controllen = sizeof(cbuf) };
    struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &master, sizeof(int));
    ssize_t r;
    do
        r = sendmsg(console_sock, &msg, MSG_NOSIGNAL);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        die_errno(STAGE, "send pty master over the console socket");
    /* The container keeps no master: only the receiver can drive the terminal. */
    close(master);
    return slave;
}

void pty_become_controlling(int slave)
{
    if (setsid() < 0)
        die_errno(STAGE, "setsid");
    if (ioctl(slave, TIOCSCTTY, 0) < 0)
        die_errno(STAGE, "make the pty the controlling terminal");
    for (int fd = 0; fd < 3; fd++)
        if (dup2(slave, fd) < 0)
            die_errno(STAGE, "dup2 pty to fd %d", fd);
    if (slave > 2)
        close(slave);
}

int pty_connect_console_socket(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof(sa.sun_path))
        die_msg(STAGE, "console socket path too long: %s", path);
    strcpy(sa.sun_path, path);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        die_errno(STAGE, "connect to console socket %s", path);
    return s;
}

int pty_recv_master(int sock)
{
    char name[256];
    char cbuf[CMSG_SPACE(sizeof(int) * 4)];
    struct iovec iov = { .iov_base = name, .iov_len = sizeof(name) };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
                          .msg_controllen = sizeof(cbuf) };
    ssize_t r;
    do
        r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        die_errno(STAGE, "receive pty master");
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
            cm->cmsg_len >= CMSG_LEN(sizeof(int))) {
            int fd;
            memcpy(&fd, CMSG_DATA(cm), sizeof(int));
            return fd;
        }
    }
    die_msg(STAGE, "no pty master received from the container");
}

void pty_sync_winsize(int master)
{
    struct winsize ws;
    if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
        ioctl(master, TIOCSWINSZ, &ws);
}

static struct termios saved_tio;
static int tio_saved;

void pty_restore_tty(void)
{
    if (tio_saved) {
        tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_tio);
        tio_saved = 0;
    }
}

void pty_raw_mode(void)
{
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tio) < 0)
        return;
    struct termios raw = saved_tio;
    cfmakeraw(&raw);
    /* Restore on every exit path: atexit covers exit() incl. die*(); fatal signals are
     * blocked and arrive through the signalfd loop, which returns normally. */
    static int registered;
    if (!registered++)
        atexit(pty_restore_tty);
    if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0)
        tio_saved = 1;
}

/* Drain what the container wrote before it exited. */
static void drain(int master)
{
    char buf[16384];
    struct pollfd p = { .fd = master, .events = POLLIN };
    while (poll(&p, 1, 0) > 0 && (p.revents & POLLIN)) {
        ssize_t n = read(master, buf, sizeof(buf));
        if (n <= 0 || write_all(STDOUT_FILENO, buf, n) < 0)
            break;
    }
}

int pty_proxy_wait(int master, pid_t child, int sigfd)
{
    char buf[16384];
    bool in_open = true, master_open = true, stdin_tty = isatty(STDIN_FILENO);
    int status = 0;
    for (;;) {
        struct pollfd p[3] = {
            { .fd = sigfd, .events = POLLIN },
            { .fd = master_open ? master : -1, .events = POLLIN },
            { .fd = in_open ? STDIN_FILENO : -1, .events = POLLIN },
        };
        if (poll(p, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            die_errno("run", "poll");
        }
        if (p[0].revents & POLLIN) {
            struct signalfd_siginfo si;
            if (read(sigfd, &si, sizeof(si)) == sizeof(si)) {
                if (si.ssi_signo == SIGCHLD) {
                    pid_t w = waitpid(child, &status, WNOHANG);
                    if (w == child) {
                        if (master_open)
                            drain(master);
                        return status;
                    }
                } else if (si.ssi_signo == SIGWINCH) {
                    pty_sync_winsize(master);
                } else {
                    kill(child, (int)si.ssi_signo);
                }
            }
        }
        if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(master, buf, sizeof(buf));
            if (n > 0) {
                if (write_all(STDOUT_FILENO, buf, n) < 0) {
                    /* stdout gone: keep draining so the container never blocks on it */
                }
            } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                master_open = false; /* EIO: every slave fd closed */
            }
        }
        if (in_open && (p[2].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
            if (n > 0) {
                if (write_all(master, buf, n) < 0)
                    in_open = false;
            } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                in_open = false;
                /* Piped stdin ended: send the terminal's EOF char so a reader in the
                 * container (canonical mode) sees end of input. */
                if (!stdin_tty) {
                    struct termios t;
                    char eof = (tcgetattr(master, &t) == 0 && t.c_cc[VEOF]) ? (char)t.c_cc[VEOF] : 4;
                    if (write(master, &eof, 1) < 0) { /* container gone */ }
                }
            }
        }
    }
}
