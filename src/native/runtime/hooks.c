/* hooks.c - running OCI hooks: the runtime-spec's "hooks" object, each hook
 * {path, args, env, timeout}, with the container's state JSON on its stdin.
 *
 * Hooks are the operator's own programs (they come from config.json, like the mounts) and
 * run with the privileges of whoever runs them: the runtime's for prestart, createRuntime,
 * poststart and poststop; the init's at that point for createContainer (container
 * namespaces, full caps, before pivot_root) and startContainer (in the container, after
 * the caps drop and uid switch, under its seccomp filter) - where runc runs them too. What
 * this file guards is that a hook gets nothing else of ours: no fd but its stdin (the
 * state), stdout and stderr (all others closed, so no host directory or socket leaks to
 * a hook running in the container), a clean signal mask, the env the config gives and no
 * other, and a timeout that kills its whole process group, so a hanging hook cannot hold
 * a create, start or delete forever. The state goes through a pipe sized to hold it
 * whole before the fork (pipe2, fcntl, write: syscalls every seccomp profile allows), so
 * a hook that never reads stdin cannot block us either. */
#include "hooks.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STAGE "hooks"

static const char *const kind_names[HOOK_KINDS] = {
    "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

const char *hook_kind_name(enum hook_kind k)
{
    return kind_names[k];
}

static bool str_array_ok(json_t *a)
{
    size_t i;
    json_t *v;
    if (!json_is_array(a))
        return false;
    json_array_foreach(a, i, v)
        if (!json_is_string(v))
            return false;
    return true;
}

void hooks_validate(json_t *hooks)
{
    if (!hooks || json_is_null(hooks))
        return;
    if (!json_is_object(hooks))
        die_msg("config", "hooks must be an object");
    const char *key;
    json_t *list;
    json_object_foreach(hooks, key, list) {
        int k = -1;
        for (int i = 0; i < HOOK_KINDS; i++)
            if (!strcmp(key, kind_names[i]))
                k = i;
        /* An unknown kind is a hook the operator expects to run: refusing beats skipping it. */
        if (k < 0)
            die_msg("config", "hooks.%s: unknown hook kind (known: prestart, createRuntime, createContainer, startContainer, poststart, poststop)", key);
        if (json_is_null(list))
            continue;
        if (!json_is_array(list))
            die_msg("config", "hooks.%s must be an array", key);
        size_t i;
        json_t *h;
        json_array_foreach(list, i, h) {
            json_t *path = json_object_get(h, "path"), *args = json_object_get(h, "args");
            json_t *env = json_object_get(h, "env"), *to = json_object_get(h, "timeout");
            if (!json_is_object(h) || !json_is_string(path) || json_string_value(path)[0] != '/')
                die_msg("config", "hooks.%s[%zu].path must be an absolute path", key, i);
            if (args && !json_is_null(args) && !str_array_ok(args))
                die_msg("config", "hooks.%s[%zu].args must be an array of strings", key, i);
            if (env && !json_is_null(env) && !str_array_ok(env))
                die_msg("config", "hooks.%s[%zu].env must be an array of strings", key, i);
            if (to && !json_is_null(to) && (!json_is_integer(to) || json_integer_value(to) <= 0))
                die_msg("config", "hooks.%s[%zu].timeout must be an integer greater than zero", key, i);
        }
    }
}

static json_t *kind_list(json_t *hooks, enum hook_kind k)
{
    json_t *l = hooks ? json_object_get(hooks, kind_names[k]) : NULL;
    return json_is_array(l) ? l : NULL;
}

bool hooks_have(json_t *hooks, enum hook_kind k)
{
    json_t *l = kind_list(hooks, k);
    return l && json_array_size(l) > 0;
}

char *hooks_state_json(const char *id, const char *status, pid_t pid, const char *bundle, json_t *annotations)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:s}", "ociVersion", "1.0.2", "id", id, "status", status,
                          "pid", (json_int_t)pid, "bundle", bundle);
    if (!o)
        die_msg(STAGE, "cannot encode the state");
    if (annotations)
        json_object_set(o, "annotations", annotations);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!s)
        die_msg(STAGE, "cannot encode the state");
    return s;
}

static char **strv(json_t *a, const char *first)
{
    size_t n = json_is_array(a) ? json_array_size(a) : 0;
    char **v = xcalloc(n + 2, sizeof(char *));
    size_t k = 0;
    if (!n && first)
        v[k++] = (char *)first; /* no args: argv[0] is the path, as runc does */
    for (size_t i = 0; i < n; i++)
        v[k++] = (char *)json_string_value(json_array_get(a, i));
    v[k] = NULL;
    return v;
}

/* The state in a pipe big enough to hold all of it: written before the fork, read end
 * becomes the hook's stdin. */
static int state_pipe(const char *state)
{
    int p[2];
    size_t len = strlen(state);
    if (pipe2(p, O_CLOEXEC) < 0)
        die_errno(STAGE, "pipe for the hook's state");
    if (len > 4096 && fcntl(p[1], F_SETPIPE_SZ, (int)len) < 0)
        die_errno(STAGE, "state of %zu bytes does not fit a pipe", len);
    if (write_all(p[1], state, len) < 0)
        die_errno(STAGE, "write the hook's state");
    close(p[1]);
    return p[0];
}

static void __attribute__((noreturn)) hook_child(const char *path, char **argv, char **envp, int in)
{
    /* Own process group: the timeout kills everything the hook started. */
    setpgid(0, 0);
    umask(022); /* the init runs with umask 0 (config modes verbatim); a hook gets the usual one */
    reset_signals(); /* create/run block signals into a signalfd: the hook gets none of that */
    if (dup2(in, 0) < 0 || dup2(2, 1) < 0)
        _exit(127);
    /* Nothing of ours but stdio reaches the hook (sync socket, fifo, console, state dir). */
    close_fds_except(NULL, 0);
    execve(path, argv, envp);
    dprintf(2, "ctui-runtime: hooks: exec %s: %s\n", path, strerror(errno));
    _exit(127);
}

/* Waits for PID for at most TIMEOUT seconds (0 = no limit). Returns the wait status, or
 * -1 when it timed out (its process group is then SIGKILLed and reaped). */
static int wait_hook(pid_t pid, int timeout)
{
    int st;
    if (timeout <= 0) {
        while (waitpid(pid, &st, 0) < 0)
            if (errno != EINTR)
                die_errno(STAGE, "wait for hook");
        return st;
    }
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long nap = 1000000; /* 1 ms, doubling to 50 ms: short hooks cost little */
    for (;;) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return st;
        if (r < 0 && errno != EINTR)
            die_errno(STAGE, "wait for hook");
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - t0.tv_sec + (now.tv_nsec - t0.tv_nsec) / 1e9 >= timeout) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
                ;
            return -1;
        }
        nanosleep(&(struct timespec){ 0, nap }, NULL);
        if (nap < 50000000)
            nap *= 2;
    }
}

int hooks_run(json_t *hooks, enum hook_kind k, const char *state, bool keep_going, char *err, size_t errlen)
{
    json_t *list = kind_list(hooks, k), *h;
    size_t i;
    json_array_foreach(list, i, h) {
        const char *path = json_string_value(json_object_get(h, "path"));
        json_t *to = json_object_get(h, "timeout");
        int timeout = json_is_integer(to) ? (int)json_integer_value(to) : 0;
        char **argv = strv(json_object_get(h, "args"), path);
        char **envp = strv(json_object_get(h, "env"), NULL);
        int in = state_pipe(state);
        pid_t pid = fork();
        if (pid < 0)
            die_errno(STAGE, "fork %s hook", kind_names[k]);
        if (pid == 0)
            hook_child(path, argv, envp, in);
        close(in);
        free(argv);
        free(envp);
        int st = wait_hook(pid, timeout);
        char why[96] = "";
        if (st == -1)
            snprintf(why, sizeof(why), "timed out after %ds (killed)", timeout);
        else if (WIFEXITED(st) && WEXITSTATUS(st))
            snprintf(why, sizeof(why), "exit status %d", WEXITSTATUS(st));
        else if (WIFSIGNALED(st))
            snprintf(why, sizeof(why), "killed by signal %d", WTERMSIG(st));
        if (!*why)
            continue;
        snprintf(err, errlen, "%s hook #%zu (%s) failed: %s", kind_names[k], i, path, why);
        if (!keep_going)
            return -1;
        warn_msg(STAGE, "%s (continuing, as the runtime-spec asks)", err);
    }
    return 0;
}
