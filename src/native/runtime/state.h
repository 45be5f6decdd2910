/* state.h - per-container state dir <root>/<id>/{state.json,exec.fifo}. */
#ifndef CTUI_STATE_H
#define CTUI_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>

enum status { ST_CREATED, ST_RUNNING, ST_STOPPED, ST_PAUSED /* running, cgroup frozen */,
              ST_CREATING /* provisional state.json: create/run still setting up */ };

struct state {
    char *id, *bundle, *created, *cgroups_path;
    pid_t pid;
    uint64_t start_time;     /* /proc/PID/stat field 22: detects pid reuse */
    json_t *annotations;     /* may be NULL */
    json_t *hooks;           /* config.json's hooks as at create (poststart, poststop); may be NULL */
    unsigned cgroups_owned;  /* hierarchies whose cgroup the create made (CG_OWNED_*) */
    bool own_pidns;          /* the container has a pid namespace of its own */
    bool creating;           /* provisional record written right after fork */
    char *dir;               /* <root>/<id> */
};

/* Dies unless ID is a safe single path component (it becomes a directory name). */
void state_check_id(const char *id);
char *state_dir(const char *root, const char *id);
/* mkdir <root>/<id> exclusively; dies with "container with id X already exists". */
void state_create_dir(const char *root, const char *id);
void state_save(const struct state *st);
/* Returns NULL (errno ENOENT) when there is no such container. */
struct state *state_load(const char *root, const char *id);
enum status state_status(const struct state *st);
const char *status_name(enum status s);
/* Field 22 of /proc/PID/stat, 0 if the process is gone; *zombie set if in state Z/X. */
/* Remove the state dir (state.json, exec.fifo, tmp files) - best effort. */
void state_remove(const char *dir);
/* RFC3339 UTC timestamp with nanoseconds, like runc. */
char *now_rfc3339(void);

#endif
