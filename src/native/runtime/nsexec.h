/* nsexec.h - creating the container init: namespaces and the parent<->init sync protocol. */
#ifndef CTUI_NSEXEC_H
#define CTUI_NSEXEC_H

#include <stdint.h>
#include <sys/types.h>
#include "config.h"

enum sync_type {
    SYNC_SETUP_DONE = 1, /* parent -> init: cgroups joined (and, one day, id maps written) */
    SYNC_READY,          /* init -> parent: fully set up, waiting for start */
    SYNC_ERROR,          /* init -> parent: one error line + exit code */
    SYNC_GO,             /* parent -> init (run only): exec now */
    SYNC_ACK,            /* parent -> init (create only): READY seen, state.json final */
    SYNC_PID,            /* exec's joiner -> host side: the program's pid (code), born inside */
    SYNC_USERNS,         /* init -> parent: user ns unshared, write uid_map/gid_map now */
    SYNC_HOOKS,          /* init -> parent: mounts done, run prestart + createRuntime now */
    SYNC_HOOKS_DONE,     /* parent -> init: they succeeded (a failure kills the init) */
};

struct sync_msg {
    uint32_t type;
    int32_t code;
    char text[1024];
};

int sync_send(int fd, enum sync_type type, int code, const char *text);
/* 1 = got a message, 0 = EOF (peer closed/exec'd), -1 = error */
int sync_recv(int fd, struct sync_msg *m);

/* In a child that reports to its parent over the sync socket (the container init, an exec'd
 * process): route every fatal error there, so the caller prints one line and exits with the
 * right code. With fd -1 (the caller is gone) the line goes to our stderr. */
void sync_report_errors_to(int fd);

/* Parent side. Enters/creates the pid namespace for our children (unshare/setns
 * CLONE_NEWPID affects only children), then forks the init. Returns the init's pid
 * (the init itself continues in init_fn and never returns). *syncfd gets the parent's
 * end of the sync socket. */
pid_t ns_spawn_init(const struct config *c, int *syncfd, void (*init_fn)(int syncfd, void *), void *arg);
/* Parent side, right after ns_spawn_init: write the id maps (user ns), join cgroups and
 * release the init. Returns the init's pid: with a new user AND pid namespace the init is
 * born in a second step (see nsexec.c), a different process than PID. */
pid_t ns_parent_setup(const struct config *c, pid_t pid, int syncfd);
/* Init side: join (setns) / create (unshare) the remaining namespaces, in the order
 * that keeps the cgroup-namespace root at the container's own cgroup. */
void ns_init_enter(const struct config *c, int syncfd);
/* The init's pid as the runtime (host) sees it, learnt from SETUP_DONE (for hook states). */
pid_t ns_init_host_pid(void);

#endif
