/* container.h - the OCI verbs (parent side). */
#ifndef CTUI_CONTAINER_H
#define CTUI_CONTAINER_H

#include <stdbool.h>

struct create_opts {
    const char *root, *id, *bundle, *pid_file, *console_socket;
    bool run;            /* foreground create+start+wait */
};

int cmd_create_or_run(const struct create_opts *o);
int cmd_start(const char *root, const char *id);
int cmd_state(const char *root, const char *id);
int cmd_kill(const char *root, const char *id, const char *sig, bool all);
int cmd_delete(const char *root, const char *id, bool force);
int cmd_pause_resume(const char *root, const char *id, bool pause);

#endif
