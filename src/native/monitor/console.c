/* console.c - the receiving end of runc's console-socket protocol, used by the container's
 * monitor (the init's terminal) and by --exec-tty (an exec's terminal): the runtime connects
 * to a unix socket of ours and sends the pty master as one SCM_RIGHTS message. */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

int console_listen(const char *name)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(name) >= sizeof(sa.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(sa.sun_path, name);
    unlink(name);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    /* Only root (our uid) may connect: whoever connects first hands us "the" terminal. */
    mode_t old = umask(0177);
    int r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
    umask(old);
    if (r < 0 || listen(fd, 1) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* One connection, one message. Every fd that came is closed but the first, and that one must be
 * a pty master (TIOCGPTN answers only on masters): what we proxy is a terminal, never some other
 * file a confused or hostile sender passed. */
int console_receive(int lfd, int timeout_ms)
{
    struct pollfd p = { .fd = lfd, .events = POLLIN };
    if (poll(&p, 1, timeout_ms) <= 0)
        return -1;
    int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0)
        return -1;
    char name[256];
    char cbuf[CMSG_SPACE(sizeof(int) * 4)];
    struct iovec iov = { .iov_base = name, .iov_len = sizeof(name) };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
    int fd = -1;
    p.fd = c;
    if (poll(&p, 1, timeout_ms) > 0 && recvmsg(c, &msg, MSG_CMSG_CLOEXEC) > 0)
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
            if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
                continue;
            size_t n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (size_t i = 0; i < n; i++) {
                int got;
                memcpy(&got, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
                if (fd < 0)
                    fd = got;
                else
                    close(got);
            }
        }
    close(c);
    unsigned ptn;
    if (fd >= 0 && ioctl(fd, TIOCGPTN, &ptn) < 0) {
        close(fd);
        errno = ENOTTY;
        return -1;
    }
    return fd;
}
