/* child.c - the container, through the OCI runtime (ctui-runtime or runc: same command
 * lines): create + start, its stdio (pipes or the pty master received on the console
 * socket), its exit (code, cleanup with `delete --force`) and docker's restart policies
 * with exponential backoff. */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* The one container: only this file changes it; the others read it through ctr() and
 * change it through the ctr_* functions below (health.c keeps its state the same way). */
static struct ctr g_ctr = { .out_fd = -1, .err_fd = -1, .in_fd = -1 };

const struct ctr *ctr(void)
{
    return &g_ctr;
}

void ctr_no_restart(int64_t kill_after_ms)
{
    g_ctr.norestart = true;
    if (kill_after_ms >= 0 && g_ctr.running)
        g_ctr.kill_at = now_ms() + kill_after_ms;
}
int g_status_fd = 3;
int g_cdir_fd = -1;

#define CONSOLE_SOCK "console.sock"

static void runtime_delete(void);
static void release_rootfs(void);

static char stdin_pending[IO_BUF];
static unsigned last_rows, last_cols;
static size_t stdin_pending_len;

/* A path to a CDIR file that the runtime can use: the full path when it fits a sockaddr_un (108
 * bytes, less for safety), else /proc/<our pid>/fd/<our O_PATH fd of CDIR>/name. A relative name
 * is not enough: runc chdirs to the bundle before it dials --console-socket, so with the default
 * root (/var/lib/ctui/containers/<64 hex>/console.sock is 102 bytes) `run -t --runtime runc`
 * failed. The /proc path resolves through our fd in the runtime's own lookup, and nothing of ours
 * is inherited (the fd is CLOEXEC; our pid cannot be reused while we wait on the socket). */
static const char *cdir_path(const char *name, char *buf, size_t cap)
{
    if (getcwd(buf, cap - strlen(name) - 2) && strlen(buf) + strlen(name) + 2 <= 100) {
        strcat(buf, "/");
        strcat(buf, name);
        return buf;
    }
    if (g_cdir_fd < 0)
        return name;
    size_t p = 0;
    char n[24];
    buf_add(buf, &p, cap, "/proc/");
    fmt_u64(n, (uint64_t)getpid());
    buf_add(buf, &p, cap, n);
    buf_add(buf, &p, cap, "/fd/");
    fmt_u64(n, (uint64_t)g_cdir_fd);
    buf_add(buf, &p, cap, n);
    buf_add(buf, &p, cap, "/");
    buf_add(buf, &p, cap, name);
    return buf;
}

static void status_line(const char *s)
{
    if (g_status_fd >= 0 && write_all(g_status_fd, s, strlen(s)) < 0) { /* caller gone */ }
}

/* First start: the caller waits for `attach` (attach_wait) and then `ok PID`/`err ...`. */
static void report(bool ok, int code, const char *msg)
{
    if (g_status_fd < 0)
        return;
    char b[700], n[24];
    size_t p = 0;
    buf_add(b, &p, sizeof(b), ok ? "ok " : "err ");
    fmt_i64(n, code);
    buf_add(b, &p, sizeof(b), n);
    if (!ok) {
        buf_add(b, &p, sizeof(b), " ");
        for (const char *m = msg; *m && p < sizeof(b) - 2; m++)
            b[p++] = (*m == '\n') ? ' ' : *m;
    }
    b[p++] = '\n';
    b[p] = 0;
    status_line(b);
    /* A foreground caller keeps its end open while it lives: that is how we learn it died (see
     * caller_gone). Everyone else is done with the pipe. */
    if (!ok || !g_conf.attach_wait)
        status_release();
}

void status_release(void)
{
    if (g_status_fd >= 0)
        close(g_status_fd);
    g_status_fd = -1;
}

/* The status pipe's reader is gone: a pipe's write end polls POLLERR once nobody can read it. The
 * foreground caller (`run`, `start -a`) closes its end when it is done with the container (removed
 * it, or detached) or dies: either way, what happens next is ours. */
bool caller_gone(void)
{
    if (g_status_fd < 0)
        return true;
    struct pollfd p = { .fd = g_status_fd, .events = 0 };
    return poll(&p, 1, 0) > 0 && (p.revents & (POLLERR | POLLHUP | POLLNVAL));
}

/* Our container directory is gone (`ctui rm` removed the container while we waited). */
static bool container_removed(void)
{
    return access("container.json", F_OK) < 0 && errno == ENOENT;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Foreground `run`/`start -a`: the container runs only once its caller has attached, so not a
 * byte of output is missed. A caller killed before it attached must not leave a container that
 * starts by itself later with nobody attached: it stays Created, as docker's and podman's do (or
 * goes, with --rm). Nor may a monitor linger for a container that was removed meanwhile.
 * Returns false when the container must not start. */
static bool wait_first_client(void)
{
    status_line("attach\n");
    while (!attach_clients()) {
        struct pollfd p[2] = { { .fd = g_listen_fd, .events = POLLIN }, { .fd = g_status_fd, .events = 0 } };
        int r = poll(p, 2, 1000);
        if (r > 0 && (p[0].revents & POLLIN))
            attach_accept();
        if (attach_clients())
            break;
        if (caller_gone() || container_removed())
            return false;
    }
    return true;
}

/* The container never ran: undo the runtime's create and leave the record Created (no
 * status.json), or removed when --rm asked for it (the exit command is `ctui rm`). */
static void abandon(void)
{
    runtime_delete();
    release_rootfs();
    unlink("ctr.pid");
    unlink("attach.sock");
    if (g_conf.exit_command[0] && !container_removed())
        run_exit_command();
    _exit(0);
}

static bool fail_start(bool first, const char *msg)
{
    clean_error(g_ctr.error, sizeof(g_ctr.error), msg);
    msg = g_ctr.error;
    runtime_delete();
    release_rootfs();
    close_fd(&g_ctr.out_fd);
    close_fd(&g_ctr.err_fd);
    close_fd(&g_ctr.in_fd);
    g_ctr.running = false;
    g_ctr.exit_code = error_code(msg);
    if (first)
        report(false, g_ctr.exit_code, msg);
    return false;
}

bool ctr_start(bool first)
{
    int out[2] = { -1, -1 }, errp[2] = { -1, -1 }, in[2] = { -1, -1 }, con = -1;
    char err[600], pathbuf[128];
    g_ctr.error[0] = 0;
    unlink("ctr.pid");
    if (g_conf.terminal) {
        con = console_listen(CONSOLE_SOCK);
        if (con < 0)
            return fail_start(first, "cannot create the console socket");
    } else {
        if (pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0)
            return fail_start(first, "cannot create the stdio pipes");
        g_ctr.out_fd = out[0];
        g_ctr.err_fd = errp[0];
        if (g_conf.stdin_open) {
            if (pipe2(in, O_CLOEXEC) < 0)
                return fail_start(first, "cannot create the stdin pipe");
            g_ctr.in_fd = in[1];
        }
    }
    const char *create[] = { "create", "--bundle", g_conf.bundle, "--pid-file", cdir_path("ctr.pid", pathbuf, sizeof(pathbuf)),
                             NULL, NULL, NULL, NULL };
    char pb2[128];
    size_t k = 5;
    if (con >= 0) {
        create[k++] = "--console-socket";
        create[k++] = cdir_path(CONSOLE_SOCK, pb2, sizeof(pb2));
    }
    create[k++] = g_conf.id;
    /* Non-terminal: the container's stdio is the create process's. Its stderr is the
     * container's stderr pipe too: if create fails, what is in there is the runtime's
     * error, read back below. With a terminal the runtime's stderr is a private pipe. */
    int st;
    if (con >= 0) {
        st = runtime_run(create, -1, -1, err, sizeof(err));
    } else {
        st = runtime_run_stdio(create, in[0], out[1], errp[1]);
    }
    close_fd(&in[0]);
    close_fd(&out[1]);
    close_fd(&errp[1]);
    if (st != 0) {
        if (con >= 0) {
            close(con);
            unlink(CONSOLE_SOCK);
        } else {
            /* The runtime wrote its error line to the stderr pipe (ours now). */
            char b[2048];
            set_nonblock(g_ctr.err_fd);
            ssize_t n = read(g_ctr.err_fd, b, sizeof(b) - 1);
            b[n > 0 ? n : 0] = 0;
            while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r'))
                b[--n] = 0;
            char *last = strrchr(b, '\n');
            size_t p = 0;
            err[0] = 0;
            buf_add(err, &p, sizeof(err), last ? last + 1 : b);
        }
        if (!err[0])
            buf_add(err, &(size_t){ 0 }, sizeof(err), "the runtime failed to create the container");
        return fail_start(first, err);
    }
    g_ctr.pid = read_pid_at("ctr.pid");
    if (con >= 0) {
        int master = console_receive(con, 5000);
        close(con);
        unlink(CONSOLE_SOCK);
        if (master < 0)
            return fail_start(first, "no terminal received from the runtime");
        g_ctr.out_fd = master;
        if (last_rows) /* a restart: keep the size the clients set */
            ctr_resize(last_rows, last_cols);
        if (g_conf.stdin_open)
            g_ctr.in_fd = dup(master);
    }
    if (g_ctr.pid <= 0)
        return fail_start(first, "the runtime wrote no container pid");
    set_nonblock(g_ctr.out_fd);
    if (g_ctr.err_fd >= 0)
        set_nonblock(g_ctr.err_fd);
    if (g_ctr.in_fd >= 0)
        set_nonblock(g_ctr.in_fd);
    if (first && g_conf.attach_wait && !wait_first_client())
        abandon();
    const char *start[] = { "start", g_conf.id, NULL };
    st = runtime_run(start, -1, -1, err, sizeof(err));
    if (st != 0) {
        if (!err[0])
            buf_add(err, &(size_t){ 0 }, sizeof(err), "the runtime failed to start the container");
        return fail_start(first, err);
    }
    g_ctr.running = true;
    g_ctr.restarting = false;
    g_ctr.started_mono = now_ms();
    now_rfc3339(g_ctr.started_at);
    g_ctr.finished_at[0] = 0;
    status_write("running");
    event_append("start", -1);
    health_reset();
    if (first)
        report(true, g_ctr.pid, NULL);
    return true;
}

/* Read one chunk of container output: log + attach clients. */
void ctr_read_output(int fd, int stream)
{
    static char b[IO_BUF];
    ssize_t n = read(fd, b, sizeof(b));
    if (n > 0) {
        log_write(stream, b, (size_t)n);
        attach_broadcast(stream, b, (size_t)n);
        return;
    }
    if (n == 0 || (errno != EAGAIN && errno != EINTR)) { /* EOF, or EIO: no slave left */
        if (fd == g_ctr.out_fd)
            close_fd(&g_ctr.out_fd);
        else if (fd == g_ctr.err_fd)
            close_fd(&g_ctr.err_fd);
    }
}

static void drain(void)
{
    for (int i = 0; i < 4096 && g_ctr.out_fd >= 0; i++) {
        struct pollfd p = { .fd = g_ctr.out_fd, .events = POLLIN };
        if (poll(&p, 1, 0) <= 0)
            break;
        ctr_read_output(g_ctr.out_fd, 1);
    }
    for (int i = 0; i < 4096 && g_ctr.err_fd >= 0; i++) {
        struct pollfd p = { .fd = g_ctr.err_fd, .events = POLLIN };
        if (poll(&p, 1, 0) <= 0)
            break;
        ctr_read_output(g_ctr.err_fd, 2);
    }
}

void ctr_write_stdin(const char *buf, size_t n)
{
    if (g_ctr.in_fd < 0 || !n)
        return;
    if (!stdin_pending_len) {
        ssize_t w = write(g_ctr.in_fd, buf, n);
        if (w < 0 && errno != EAGAIN && errno != EINTR) {
            ctr_close_stdin(); /* the container closed its stdin */
            return;
        }
        if (w > 0) {
            buf += w;
            n -= (size_t)w;
        }
    }
    /* The main loop stops reading clients while this is non-empty, so it never grows
     * past one client read (IO_BUF). */
    if (n > sizeof(stdin_pending) - stdin_pending_len)
        n = sizeof(stdin_pending) - stdin_pending_len;
    memcpy(stdin_pending + stdin_pending_len, buf, n);
    stdin_pending_len += n;
}

bool ctr_stdin_pending(void) { return stdin_pending_len > 0 && g_ctr.in_fd >= 0; }

void ctr_flush_stdin(void)
{
    if (!stdin_pending_len || g_ctr.in_fd < 0) {
        stdin_pending_len = 0;
        return;
    }
    ssize_t w = write(g_ctr.in_fd, stdin_pending, stdin_pending_len);
    if (w < 0) {
        if (errno != EAGAIN && errno != EINTR)
            ctr_close_stdin();
        return;
    }
    memmove(stdin_pending, stdin_pending + w, stdin_pending_len - (size_t)w);
    stdin_pending_len -= (size_t)w;
}

void ctr_close_stdin(void)
{
    stdin_pending_len = 0;
    if (g_ctr.in_fd < 0)
        return;
    if (g_conf.terminal) {
        /* A pty has no half-close: send the EOF character (the line discipline's ^D). */
        struct termios t;
        char eof = (tcgetattr(g_ctr.in_fd, &t) == 0 && t.c_cc[VEOF]) ? (char)t.c_cc[VEOF] : 4;
        if (write(g_ctr.in_fd, &eof, 1) < 0) { /* gone */ }
    }
    close_fd(&g_ctr.in_fd);
}

void ctr_resize(unsigned rows, unsigned cols)
{
    last_rows = rows;
    last_cols = cols;
    if (!g_conf.terminal || g_ctr.out_fd < 0)
        return;
    struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
    ioctl(g_ctr.out_fd, TIOCSWINSZ, &ws);
}

static bool should_restart(int code)
{
    if (g_ctr.norestart)
        return false;
    conf_reload_restart("monitor.conf");
    switch (g_conf.restart) {
    case RP_ALWAYS:
    case RP_UNLESS_STOPPED:
        return true;
    case RP_ON_FAILURE:
        return code != 0 && (g_conf.restart_max == 0 || (unsigned)g_ctr.restart_count < g_conf.restart_max);
    default:
        return false;
    }
}

/* `delete --force`: whatever else of the container still runs dies with it; cgroups and
 * runtime state go away (docker semantics: the init's exit is the container's). */
static void runtime_delete(void)
{
    const char *del[] = { "delete", "--force", g_conf.id, NULL };
    runtime_run(del, -1, -1, NULL, 0);
}

/* A runtime that takes a mounted rootfs (runc) leaves the core's host-side overlay mounted after
 * the container is gone: release it once the container has exited for good (conmon's cleanup
 * does the same for podman), so stopped containers do not pile up mounts on the host. Lazily: a
 * reader (commit, diff) may hold it; the next start mounts it again. */
static void release_rootfs(void)
{
    if (g_conf.rootfs_mount)
        umount2(g_conf.rootfs_mount, MNT_DETACH);
}

void ctr_kill_due(void)
{
    g_ctr.kill_at = 0;
    if (!g_ctr.running)
        return;
    const char *kill[] = { "kill", g_conf.id, "KILL", NULL };
    runtime_run(kill, -1, -1, NULL, 0); /* its "die" event follows from the exit */
}

void ctr_on_exit(int wstatus)
{
    int code = exit_code_of(wstatus);
    g_ctr.running = false;
    g_ctr.kill_at = 0;
    g_ctr.exit_code = code;
    health_stop();
    drain();
    bool restart = should_restart(code);
    /* A restart needs the old runtime state gone first; a final exit is reported first
     * (status, EXIT frames) and cleaned up after, so a foreground `run` is not kept
     * waiting for the cleanup. The core waits for this monitor to be gone before it
     * starts the container again, so the late delete can never hit a new life. */
    if (restart)
        runtime_delete();
    drain();
    close_fd(&g_ctr.out_fd);
    close_fd(&g_ctr.err_fd);
    close_fd(&g_ctr.in_fd);
    stdin_pending_len = 0;
    now_rfc3339(g_ctr.finished_at);
    event_append("die", code);
    if (!restart)
        ctr_finish();
    /* docker: 100 ms doubling per consecutive restart, reset after 10 s of running,
     * capped at 1 min. */
    if (now_ms() - g_ctr.started_mono >= 10000 || !g_ctr.backoff_ms)
        g_ctr.backoff_ms = 100;
    else if ((g_ctr.backoff_ms *= 2) > 60000)
        g_ctr.backoff_ms = 60000;
    g_ctr.restarting = true;
    g_ctr.restart_at = now_ms() + g_ctr.backoff_ms;
    status_write("restarting");
}

void ctr_restart_due(void)
{
    if (g_ctr.norestart) /* stopped by the user while waiting */
        ctr_finish();
    g_ctr.restart_count++;
    event_append("restart", -1);
    if (!ctr_start(false))
        ctr_finish();
}

void ctr_finish(void)
{
    g_ctr.running = false;
    g_ctr.restarting = false;
    if (!g_ctr.finished_at[0])
        now_rfc3339(g_ctr.finished_at);
    status_write("exited");
    attach_exit_and_close(g_ctr.exit_code);
    unlink("attach.sock");
    runtime_delete();
    release_rootfs();
    if (g_conf.exit_command[0]) {
        /* --rm of a foreground run: its caller removes the container itself (no second process
         * per run) while it lives, then lets go of the status pipe. If it died instead, or
         * detached, the removal is ours: --rm holds whoever is gone. */
        if (g_conf.attach_wait)
            while (!caller_gone()) {
                struct pollfd p = { .fd = g_status_fd, .events = 0 };
                poll(&p, 1, 1000);
                if (container_removed())
                    break;
            }
        if (!container_removed())
            run_exit_command();
    }
    _exit(0);
}

void run_exit_command(void)
{
    pid_t p = fork();
    if (p == 0) {
        reset_signals();
        setsid();
        int nul = devnull(O_RDWR);
        dup2(nul, 0);
        dup2(nul, 1);
        dup2(nul, 2);
        execv(g_conf.exit_command[0], (char *const *)g_conf.exit_command);
        _exit(127);
    }
}
