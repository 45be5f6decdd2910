/* initproc.h - what the container init does between fork and execve. */
#ifndef CTUI_INITPROC_H
#define CTUI_INITPROC_H

#include "config.h"

struct init_args {
    const struct config *c;
    const char *id;     /* the container's id (hook states) */
    int console_sock;   /* -1 unless process.terminal */
    int fifo_fd;        /* create: O_PATH fd of <root>/<id>/exec.fifo itself; -1 (run) */
    pid_t parent;       /* pid of the create/run process (parent-death check) */
    void *seccomp;      /* compiled by the parent (seccomp_build) or NULL */
};

/* Never returns: execve's the container process or _exit()s after reporting. */
void container_init(int syncfd, void *args);

#endif
