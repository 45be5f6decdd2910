/* monitor.h - ctui-monitor: one tiny process per container (conmon's job). Contract in
 * ../SPEC.md ("ctui-monitor"). Single-threaded poll loop; fixed buffers; no jansson,
 * no stdio streams: the goal is <= 0.2 MiB PSS while a container runs. */
#ifndef CTUI_MONITOR_H
#define CTUI_MONITOR_H

#include "../common/io.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <sys/types.h>

#define MAX_EXIT_ARGS 32
#define IO_BUF 8192          /* one read of container output = at most one CRI record */

enum restart_policy { RP_NO, RP_ALWAYS, RP_UNLESS_STOPPED, RP_ON_FAILURE };

/* conf.c: CDIR/monitor.conf */
struct conf {
    const char *runtime, *runtime_root, *bundle, *id, *events, *health_process;
    const char *rootfs_mount;   /* a host-side rootfs mount (runc's bundles) to release at the end */
    bool terminal, stdin_open, attach_wait;
    uint64_t log_max;
    unsigned log_keep;
    enum restart_policy restart;
    unsigned restart_max;
    long health_interval_ms, health_timeout_ms, health_start_period_ms, health_retries;
    const char *exit_command[MAX_EXIT_ARGS + 1];
};
extern struct conf g_conf;
int conf_load(const char *path);            /* 0 or -1 (errno) */
void conf_reload_restart(const char *path); /* restart=, restart_max= again (ctui update) */

/* util.c */
int64_t now_ms(void);                       /* CLOCK_MONOTONIC */
void now_rfc3339(char out[40]);             /* RFC3339Nano, UTC */
uint64_t now_unix_nanos(void);
size_t fmt_u64(char *out, uint64_t v);
size_t fmt_i64(char *out, int64_t v);
/* Appends S JSON-escaped (without quotes) to OUT at *pos, never past cap-1. */
void json_str(char *out, size_t *pos, size_t cap, const char *s, size_t len);
void buf_add(char *out, size_t *pos, size_t cap, const char *s);
int set_nonblock(int fd);
pid_t read_pid_at(const char *path);        /* a runtime's --pid-file, 0 if none */

/* logw.c: ctr.log in CRI format with rotation */
void log_open(void);
void log_write(int stream /* 1 stdout, 2 stderr */, const char *buf, size_t n);

/* attach.c: attach.sock server */
int attach_listen(void);                    /* listening fd or -1 */
int attach_npoll(void);                     /* pollfds it wants */
void attach_fill_poll(struct pollfd *p, bool read_clients);
void attach_handle_poll(struct pollfd *p, int n); /* the N entries filled before poll */
void attach_accept(void);
int attach_clients(void);
void attach_broadcast(int type, const char *buf, size_t n);
void attach_exit_and_close(int code);       /* EXIT frame to all, flush briefly, close */
extern int g_listen_fd;

/* child.c: the container through the runtime; exit; restart policy */
struct ctr {
    pid_t pid;                 /* container init, 0 when not running */
    int out_fd, err_fd;        /* pipes' read ends, or the pty master in out_fd */
    int in_fd;                 /* stdin pipe's write end or the master (stdin=1), else -1 */
    bool running, restarting, norestart;
    int exit_code, restart_count;
    int64_t started_mono, restart_at, backoff_ms;
    int64_t kill_at;           /* a stop's deadline: SIGKILL then if still running (0 = none) */
    char started_at[40], finished_at[40];
    char error[512];
};
const struct ctr *ctr(void);                /* read-only view; child.c owns it */
/* The user is stopping it: no restart policy for the coming exit; with KILL_AFTER_MS >= 0, a
 * deadline after which the monitor SIGKILLs it if it still runs. */
void ctr_no_restart(int64_t kill_after_ms);
extern int g_cdir_fd;                       /* O_PATH fd of CDIR (for paths too long to spell) */
extern int g_status_fd;                     /* fd 3 until the first start reported */
bool ctr_start(bool first);                 /* create+start; false = failed for good */
void status_release(void);                  /* close fd 3 */
bool caller_gone(void);                     /* fd 3's reader (the foreground caller) is gone */
void run_exit_command(void);                /* fork the exit_command, not waited for */
void ctr_on_exit(int wstatus);
void ctr_read_output(int fd, int stream);
void ctr_write_stdin(const char *buf, size_t n);
bool ctr_stdin_pending(void);
void ctr_flush_stdin(void);
void ctr_close_stdin(void);
void ctr_resize(unsigned rows, unsigned cols);
void ctr_restart_due(void);
void ctr_kill_due(void);                    /* the stop's deadline passed: SIGKILL */
void ctr_finish(void) __attribute__((noreturn));
/* Run the runtime with ARGV (NULL terminated, after "RUNTIME --root R"); stdio given
 * (-1 = /dev/null). Returns the wait status; ERR (if not NULL) gets its last stderr line. */
int runtime_run(const char *const *argv, int in, int out, char *err, size_t errlen);
/* The same with stderr to ERRFD (the container's own stdio, for create). */
int runtime_run_stdio(const char *const *argv, int in, int out, int errfd);
int error_code(const char *msg);            /* 127 not found, 126 permission denied, else 125 */
void clean_error(char *out, size_t cap, const char *msg); /* runc's logrus line -> its message */
int devnull(int flags);                     /* /dev/null, CLOEXEC */

/* console.c: runc's console-socket protocol, receiving end */
int console_listen(const char *name);       /* listening fd (mode 0600) or -1 */
int console_receive(int lfd, int timeout_ms); /* the pty master, or -1 */

/* exectty.c: `ctui-monitor --exec-tty`, an exec's terminal proxied over pipes */
int exec_tty_main(int argc, char **argv);

/* health.c */
void health_reset(void);                    /* container (re)started */
void health_stop(void);                     /* container exited: kill a running check */
int64_t health_deadline(void);              /* next time health_tick wants to run, or -1 */
void health_tick(void);
int health_fd(void);                        /* output pipe of a running check, or -1 */
void health_read(void);
bool health_reap(pid_t pid, int wstatus);   /* true if PID was the check */

/* status.c: status.json, events */
void status_write(const char *status);
void status_reserve(void);                  /* one block held for status.json on a full disk */
void event_append(const char *action, int exit_code /* -1 = none */);

#endif
