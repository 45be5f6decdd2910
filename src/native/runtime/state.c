/* state.c - container state on disk. Only trusted paths (the --root dir) are touched. */
#include "state.h"
#include "cgroups.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STAGE "state"

void state_check_id(const char *id)
{
    /* The id becomes a path component under --root: refuse anything that could
     * traverse ("..", "/") or confuse tools. Same character set as runc. */
    size_t n = strlen(id);
    /* No leading "." either: ids share --root with our own dot-dirs (.seccomp-cache). */
    if (n == 0 || n > 1024 || id[0] == '.' || strchr(id, '/'))
        die_msg(STAGE, "invalid container id %s", id);
    for (const char *p = id; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-.", *p))
            die_msg(STAGE, "invalid container id %s", id);
}

char *state_dir(const char *root, const char *id)
{
    return xasprintf("%s/%s", root, id);
}

void state_create_dir(const char *root, const char *id)
{
    if (mkdir_p(root, 0711) < 0)
        die_errno(STAGE, "create %s", root);
    char *d = state_dir(root, id);
    if (mkdir(d, 0711) < 0) {
        if (errno == EEXIST)
            die_msg(STAGE, "container with id %s already exists", id);
        die_errno(STAGE, "create %s", d);
    }
    free(d);
}

void state_save(const struct state *st)
{
    json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:s}",
                          "ociVersion", "1.0.2", "id", st->id, "pid", (json_int_t)st->pid,
                          "start_time", (json_int_t)st->start_time, "bundle", st->bundle,
                          "created", st->created, "cgroupsPath", st->cgroups_path);
    if (!o)
        die_msg(STAGE, "cannot encode state");
    if (st->annotations)
        json_object_set(o, "annotations", st->annotations);
    /* The hooks as they were at create: start and delete run poststart/poststop from
     * here, never from a config.json edited since (the bundle is not ours to trust). */
    if (st->hooks)
        json_object_set(o, "hooks", st->hooks);
    /* What delete/cleanup may touch: only the cgroups this container's create made, and
     * no cgroup-wide kill when killing its pid 1 already ends everything. */
    json_object_set_new(o, "cgroupsOwned", json_integer((json_int_t)st->cgroups_owned));
    json_object_set_new(o, "ownPidNs", json_boolean(st->own_pidns));
    if (st->creating)
        json_object_set_new(o, "status", json_string("creating"));
    char *s = json_dumps(o, JSON_COMPACT);
    char *path = xasprintf("%s/state.json", st->dir);
    if (!s || write_file_atomic(path, s, strlen(s), 0600) < 0)
        die_errno(STAGE, "write %s", path);
    free(path);
    free(s);
    json_decref(o);
}

static char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return xstrdup(json_is_string(v) ? json_string_value(v) : "");
}

struct state *state_load(const char *root, const char *id)
{
    state_check_id(id);
    char *dir = state_dir(root, id);
    char *path = xasprintf("%s/state.json", dir);
    json_error_t jerr;
    json_t *o = json_load_file(path, 0, &jerr);
    if (!o) {
        struct stat sb;
        if (stat(dir, &sb) < 0) {
            free(path);
            free(dir);
            errno = ENOENT;
            return NULL;
        }
        /* Directory without state.json: a create that died half-way. */
        o = json_object();
    }
    struct state *st = xcalloc(1, sizeof(*st));
    st->id = xstrdup(id);
    st->dir = dir;
    st->bundle = jstr(o, "bundle");
    st->created = jstr(o, "created");
    st->cgroups_path = jstr(o, "cgroupsPath");
    st->pid = (pid_t)json_integer_value(json_object_get(o, "pid"));
    st->start_time = (uint64_t)json_integer_value(json_object_get(o, "start_time"));
    json_t *own = json_object_get(o, "cgroupsOwned");
    /* Missing (state from an older runtime): the old behaviour, all ours - except that
     * the hierarchy root is never touched whatever the state says (cgroups.c). */
    st->cgroups_owned = json_is_integer(own) ? (unsigned)json_integer_value(own) : ~0u;
    st->own_pidns = json_is_true(json_object_get(o, "ownPidNs"));
    json_t *stt = json_object_get(o, "status");
    st->creating = json_is_string(stt) && !strcmp(json_string_value(stt), "creating");
    json_t *a = json_object_get(o, "annotations");
    st->annotations = json_is_object(a) ? json_incref(a) : NULL;
    json_t *h = json_object_get(o, "hooks");
    st->hooks = json_is_object(h) ? json_incref(h) : NULL;
    json_decref(o);
    free(path);
    return st;
}

enum status state_status(const struct state *st)
{
    bool zombie;
    uint64_t t = proc_start_time(st->pid, &zombie);
    /* Different start time = the pid was reused by an unrelated process. */
    if (!t || t != st->start_time || zombie)
        return ST_STOPPED;
    if (st->creating)
        return ST_CREATING;
    char *fifo = xasprintf("%s/exec.fifo", st->dir);
    struct stat sb;
    int created = lstat(fifo, &sb) == 0;
    free(fifo);
    if (created)
        return ST_CREATED;
    return cgroups_frozen(st->cgroups_path) ? ST_PAUSED : ST_RUNNING;
}

const char *status_name(enum status s)
{
    return s == ST_CREATED ? "created" : s == ST_RUNNING ? "running" : s == ST_PAUSED ? "paused" :
           s == ST_CREATING ? "creating" : "stopped";
}

void state_remove(const char *dir)
{
    static const char *const files[] = { "state.json", "state.json.tmp", "exec.fifo" };
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char *p = xasprintf("%s/%s", dir, files[i]);
        unlink(p);
        free(p);
    }
    if (rmdir(dir) < 0 && errno != ENOENT)
        warn_msg(STAGE, "remove %s: %s", dir, strerror(errno));
}

char *now_rfc3339(void)
{
    struct timespec ts;
    struct tm tm;
    char buf[64];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, sizeof(buf) - n, ".%09ldZ", ts.tv_nsec);
    return xstrdup(buf);
}
