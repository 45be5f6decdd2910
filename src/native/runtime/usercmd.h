/* usercmd.h - `_user`: -u resolution inside a container's root for callers on the host. */
#ifndef CTUI_USERCMD_H
#define CTUI_USERCMD_H

#include <stdint.h>
#include <sys/types.h>

int usercmd_main(int argc, char **argv);
/* Joins the mount namespace of PID, checked (through a pidfd) to be the process that started at
 * START: afterwards "/" is the container's root. Dies with one line when it is gone. Also `_cp`'s. */
void usercmd_join_container(pid_t pid, uint64_t start);

#endif
