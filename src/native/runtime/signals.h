/* signals.h - signal forwarding and names (see signals.c). */
#ifndef CTUI_SIGNALS_H
#define CTUI_SIGNALS_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

/* Block the forwarded signals (+SIGCHLD) and return a signalfd reading them. */
int forwarded_signals(sigset_t *set, bool with_chld);
/* Wait for CHILD, forwarding every signal read from SIGFD to it; returns its wait status. */
int signal_wait(pid_t child, int sigfd);
/* A signal by name (KILL, SIGKILL, RTMIN+1) or number; default TERM; -1 if invalid. */
int parse_signal(const char *s);

#endif
