/* attach.c - the attach socket (CDIR/attach.sock, 0600): frames of
 * [type u8][length u32 BE][payload]. Clients send STDIN(0), RESIZE(1: rows, cols u16 BE),
 * CLOSE_STDIN(2), NORESTART(3); the monitor sends STDOUT(1), STDERR(2), EXIT(3).
 * A client that does not read never blocks anything: its output backlog is bounded
 * (CLIENT_MAX) and the client is dropped when it overflows. */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_CLIENTS 16
#define CLIENT_MAX (256 * 1024)

enum { F_STDIN = 0, F_RESIZE = 1, F_CLOSE_STDIN = 2, F_NORESTART = 3 };

struct client {
    int fd;
    char *out; size_t out_len, out_cap;  /* pending output (malloc'd only while stalled) */
    unsigned char hdr[5]; unsigned hdr_len;
    uint32_t remaining;                  /* payload bytes left of the current frame */
    unsigned char small[4]; unsigned small_len; /* RESIZE payload */
};

int g_listen_fd = -1;
static struct client clients[MAX_CLIENTS];
static int n_clients;

int attach_listen(void)
{
    /* Relative name: the monitor runs in CDIR, and sun_path is only 108 bytes. */
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    strcpy(sa.sun_path, "attach.sock");
    unlink(sa.sun_path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    mode_t old = umask(0177); /* created 0600: only root may attach */
    int r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
    umask(old);
    if (r < 0 || chmod(sa.sun_path, 0600) < 0 || listen(fd, 16) < 0) {
        close(fd);
        return -1;
    }
    g_listen_fd = fd;
    return fd;
}

int attach_clients(void) { return n_clients; }

static void drop(int i)
{
    close(clients[i].fd);
    free(clients[i].out);
    clients[i] = clients[--n_clients];
    memset(&clients[n_clients], 0, sizeof(clients[n_clients]));
}

void attach_accept(void)
{
    for (;;) {
        int fd = accept4(g_listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0)
            return;
        if (n_clients == MAX_CLIENTS) {
            close(fd);
            continue;
        }
        memset(&clients[n_clients], 0, sizeof(clients[0]));
        clients[n_clients++].fd = fd;
    }
}

/* Queue bytes for client I; false if it had to be dropped. */
static bool queue(int i, const void *data, size_t n)
{
    struct client *c = &clients[i];
    if (c->out_len == 0) { /* fast path: straight to the socket */
        ssize_t w = send(c->fd, data, n, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (w < 0 && errno != EAGAIN && errno != EINTR) {
            drop(i);
            return false;
        }
        if (w > 0) {
            data = (const char *)data + w;
            n -= (size_t)w;
        }
        if (!n)
            return true;
    }
    if (c->out_len + n > CLIENT_MAX) {
        drop(i); /* stalled: never let one reader hold back the container or others */
        return false;
    }
    if (c->out_len + n > c->out_cap) {
        size_t cap = c->out_cap ? c->out_cap * 2 : 16384;
        while (cap < c->out_len + n)
            cap *= 2;
        char *p = realloc(c->out, cap);
        if (!p) {
            drop(i);
            return false;
        }
        c->out = p;
        c->out_cap = cap;
    }
    memcpy(c->out + c->out_len, data, n);
    c->out_len += n;
    return true;
}

static void flush(int i)
{
    struct client *c = &clients[i];
    ssize_t w = send(c->fd, c->out, c->out_len, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (w < 0) {
        if (errno != EAGAIN && errno != EINTR)
            drop(i);
        return;
    }
    memmove(c->out, c->out + w, c->out_len - (size_t)w);
    c->out_len -= (size_t)w;
    if (!c->out_len) { /* give the memory back once the client caught up */
        free(c->out);
        c->out = NULL;
        c->out_cap = 0;
    }
}

void attach_broadcast(int type, const char *buf, size_t n)
{
    unsigned char h[5] = { (unsigned char)type, (unsigned char)(n >> 24), (unsigned char)(n >> 16),
                           (unsigned char)(n >> 8), (unsigned char)n };
    for (int i = n_clients - 1; i >= 0; i--)
        if (queue(i, h, 5))
            queue(i, buf, n);
}

int attach_npoll(void) { return n_clients; }

void attach_fill_poll(struct pollfd *p, bool read_clients)
{
    for (int i = 0; i < n_clients; i++) {
        p[i].fd = clients[i].fd;
        p[i].events = (read_clients ? POLLIN : 0) | (clients[i].out_len ? POLLOUT : 0);
        p[i].revents = 0;
    }
}

/* End of a frame: act on the control frames (STDIN bytes were forwarded as they came). */
static void frame_end(struct client *c)
{
    if (c->hdr[0] == F_RESIZE && c->small_len == 4)
        ctr_resize((unsigned)(c->small[0] << 8 | c->small[1]), (unsigned)(c->small[2] << 8 | c->small[3]));
    else if (c->hdr[0] == F_CLOSE_STDIN)
        ctr_close_stdin();
    else if (c->hdr[0] == F_NORESTART) {
        /* With a payload (u32 BE ms), a stop's deadline: the monitor kills the container then if
         * it still runs, so a stop whose caller goes away (ctrl-c, a UI that quit) still ends it,
         * as a daemon's stop does. */
        int64_t ms = -1;
        if (c->small_len == 4)
            ms = (int64_t)((uint32_t)c->small[0] << 24 | (uint32_t)c->small[1] << 16 | (uint32_t)c->small[2] << 8 | c->small[3]);
        ctr_no_restart(ms);
    }
    c->hdr_len = 0;
    c->small_len = 0;
}

static void input(struct client *c, const unsigned char *b, size_t n)
{
    while (n) {
        if (c->hdr_len < 5) {
            c->hdr[c->hdr_len++] = *b++;
            n--;
            if (c->hdr_len == 5) {
                c->remaining = (uint32_t)c->hdr[1] << 24 | (uint32_t)c->hdr[2] << 16 |
                               (uint32_t)c->hdr[3] << 8 | c->hdr[4];
                if (!c->remaining)
                    frame_end(c);
            }
            continue;
        }
        size_t take = n < c->remaining ? n : c->remaining;
        if (c->hdr[0] == F_STDIN)
            ctr_write_stdin((const char *)b, take);
        else
            for (size_t k = 0; k < take && c->small_len < 4; k++)
                c->small[c->small_len++] = b[k];
        b += take;
        n -= take;
        c->remaining -= (uint32_t)take;
        if (!c->remaining)
            frame_end(c);
    }
}

void attach_handle_poll(struct pollfd *p, int n)
{
    /* Indexes shift when a client is dropped: walk backwards, match by fd. */
    for (int k = n - 1; k >= 0; k--) {
        int i = -1;
        for (int j = 0; j < n_clients; j++)
            if (clients[j].fd == p[k].fd)
                i = j;
        if (i < 0 || !p[k].revents)
            continue;
        if (p[k].revents & POLLOUT) {
            flush(i);
            if (i >= n_clients || clients[i].fd != p[k].fd)
                continue;
        }
        if (p[k].revents & (POLLIN | POLLHUP | POLLERR)) {
            static unsigned char b[IO_BUF];
            ssize_t r = recv(clients[i].fd, b, sizeof(b), MSG_DONTWAIT);
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
                drop(i);
            else if (r > 0)
                input(&clients[i], b, (size_t)r);
        }
    }
}

void attach_exit_and_close(int code)
{
    char n[24];
    size_t len = fmt_i64(n, code);
    attach_broadcast(3, n, len);
    /* Let slow clients take what is queued, but never wait long for them. */
    int64_t deadline = now_ms() + 2000;
    while (n_clients) {
        struct pollfd p[MAX_CLIENTS];
        int m = 0;
        for (int i = n_clients - 1; i >= 0; i--)
            if (!clients[i].out_len)
                drop(i);
        for (int i = 0; i < n_clients; i++)
            p[m++] = (struct pollfd){ .fd = clients[i].fd, .events = POLLOUT };
        int64_t left = deadline - now_ms();
        if (!m || left <= 0 || poll(p, (nfds_t)m, (int)left) <= 0)
            break;
        for (int i = n_clients - 1; i >= 0; i--)
            flush(i);
    }
    while (n_clients)
        drop(n_clients - 1);
}
