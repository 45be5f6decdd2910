/* pty.h - container terminal: creation in the container, SCM_RIGHTS hand-off, and
 * `run`'s own proxy (raw mode, copy loop, SIGWINCH). */
#ifndef CTUI_PTY_H
#define CTUI_PTY_H

#include <signal.h>
#include <sys/types.h>

/* Container side, after pivot_root: allocate a pty from the container's own devpts
 * (/dev/ptmx -> pts/ptmx), send the master over CONSOLE_SOCK, return the slave fd. */
int pty_create_and_send(int console_sock, unsigned short rows, unsigned short cols);
/* Container side: new session, SLAVE becomes controlling tty and fds 0,1,2. */
void pty_become_controlling(int slave);
/* Connect to a --console-socket path. */
int pty_connect_console_socket(const char *path);
/* Receive the master fd (runc's protocol: one fd in SCM_RIGHTS, payload = pty name). */
int pty_recv_master(int sock);
/* Copy our tty's window size to MASTER (no-op if neither stdin nor stdout is a tty). */
void pty_sync_winsize(int master);
/* Put stdin in raw mode if it is a tty (restored by pty_restore_tty/atexit). */
void pty_raw_mode(void);
void pty_restore_tty(void);
/* run's proxy: copy stdin->master, master->stdout; forward signals from SIGFD to CHILD
 * (SIGWINCH becomes TIOCSWINSZ); returns the wait status of CHILD. */
int pty_proxy_wait(int master, pid_t child, int sigfd);

#endif
