/* hooks.h - OCI lifecycle hooks (config.json "hooks"). */
#ifndef CTUI_HOOKS_H
#define CTUI_HOOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <jansson.h>

enum hook_kind {
    HOOK_PRESTART,          /* create, runtime namespace, after the mounts, before pivot_root (deprecated) */
    HOOK_CREATE_RUNTIME,    /* create, runtime namespace, right after prestart */
    HOOK_CREATE_CONTAINER,  /* create, container namespaces, before pivot_root */
    HOOK_START_CONTAINER,   /* start, in the container (after pivot_root), before execve */
    HOOK_POSTSTART,         /* start, runtime namespace, after the program was released */
    HOOK_POSTSTOP,          /* delete (and the end of run), runtime namespace */
    HOOK_KINDS
};

/* config_load: every hook well-formed (absolute path, string args/env, timeout > 0) and
 * every kind known; dies with one line naming the field otherwise. */
void hooks_validate(json_t *hooks);
bool hooks_have(json_t *hooks, enum hook_kind k);
const char *hook_kind_name(enum hook_kind k);
/* The runtime-spec state object a hook reads on stdin (malloc'd JSON text). */
char *hooks_state_json(const char *id, const char *status, pid_t pid, const char *bundle, json_t *annotations);
/* Runs the hooks of kind K in order, each with STATE on stdin, stdout and stderr on ours,
 * SIGKILLed (its whole process group) at its timeout. 0 when all succeeded; else -1 and
 * ERR says which hook failed and how (the remaining hooks of K are not run). With
 * KEEP_GOING (poststart, poststop: a failure is only a warning) a failing hook is
 * reported as a warning on stderr and the next one still runs; the result is then 0. */
int hooks_run(json_t *hooks, enum hook_kind k, const char *state, bool keep_going, char *err, size_t errlen);

#endif
