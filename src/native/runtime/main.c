/* main.c - ctui-runtime command line: global flags, verb dispatch (runc-compatible). */
#include "container.h"
#include "cpcmd.h"
#include "signals.h"
#include "execproc.h"
#include "fsops.h"
#include "update.h"
#include "usercmd.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

/* CVE-2019-5736: a process in the container that can reach /proc/PID/exe of a runtime
 * process inside its pid namespace (our `exec` helper, the init before execve) could
 * open the runtime binary and - once we exit - overwrite it on the host, so the next
 * container start runs the attacker's code as root. Like runc's cloned_binary: the
 * verbs that enter a container re-exec themselves from a sealed memfd copy of
 * /proc/self/exe. /proc/PID/exe then names that memfd: it is not the host file, and
 * the seals (no write, shrink or grow; seals themselves sealed) make it immutable. */
static void ensure_cloned_binary(char **argv)
{
    char link[64];
    ssize_t n = readlink("/proc/self/exe", link, sizeof(link) - 1);
    if (n > 0) {
        link[n] = 0;
        if (!strncmp(link, "/memfd:", 7))
            return; /* already running from the sealed copy */
    }
    int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (src < 0 || fstat(src, &sb) < 0)
        die_errno("clone-binary", "open /proc/self/exe");
    int mfd = memfd_create("ctui-runtime-cloned", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (mfd < 0)
        die_errno("clone-binary", "memfd_create");
    for (off_t done = 0; done < sb.st_size;) {
        ssize_t k = sendfile(mfd, src, NULL, (size_t)(sb.st_size - done));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            die_errno("clone-binary", "copy /proc/self/exe");
        done += k;
    }
    close(src);
    if (fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
        die_errno("clone-binary", "seal the memfd");
    fexecve(mfd, argv, environ);
    die_errno("clone-binary", "fexecve the sealed copy");
}

#define VERSION "0.1.0"
#define DEFAULT_ROOT "/run/ctui-runtime"

static void usage(void)
{
    fprintf(stderr,
            "usage: ctui-runtime [--root DIR] [--log FILE] [--debug] VERB ...\n"
            "  create [--pid-file F] [--console-socket S] --bundle DIR ID\n"
            "  run    [--pid-file F] [--console-socket S] --bundle DIR ID\n"
            "  start ID | state ID | kill [--all] ID [SIGNAL] | delete [--force] ID\n"
            "  exec [--process F] [-t] [--console-socket S] [-d] [--pid-file F] [--cwd D]\n"
            "       [-e K=V]... [-u UID[:GID]] [--cap CAP]... [--no-new-privs] ID [CMD ARGS...]\n"
            "  pause ID | resume ID\n"
            "  update --resources FILE|- ID\n"
            "  version\n"
            "internal: _mount-overlay, _umount, _fsops, _user, _cp (see SPEC.md)\n");
    exit(2);
}

/* "--flag value", "--flag=value" and runc's single-dash spellings ("-bundle"). */
static const char *flag_value(int argc, char **argv, int *i, const char *name, const char *alias)
{
    const char *a = argv[*i];
    while (*a == '-')
        a++;
    size_t n = strlen(name);
    if (!strncmp(a, name, n) && a[n] == '=')
        return a + n + 1;
    if (!strcmp(a, name) || (alias && !strcmp(argv[*i], alias))) {
        if (*i + 1 >= argc)
            die_msg("args", "%s needs a value", argv[*i]);
        return argv[++*i];
    }
    return NULL;
}

static bool is_flag(const char *a, const char *name)
{
    while (*a == '-')
        a++;
    return !strcmp(a, name);
}

static int verb_create(int argc, char **argv, const char *root, bool run)
{
    struct create_opts o = { .root = root, .run = run };
    for (int i = 1; i < argc; i++) {
        const char *v;
        if ((v = flag_value(argc, argv, &i, "bundle", "-b"))) o.bundle = v;
        else if ((v = flag_value(argc, argv, &i, "pid-file", NULL))) o.pid_file = v;
        else if ((v = flag_value(argc, argv, &i, "console-socket", NULL))) o.console_socket = v;
        else if (is_flag(argv[i], "detach") || is_flag(argv[i], "d") || is_flag(argv[i], "no-pivot") ||
                 is_flag(argv[i], "no-new-keyring"))
            die_msg("args", "%s is not supported", argv[i]);
        else if (argv[i][0] == '-')
            die_msg("args", "unknown flag %s", argv[i]);
        else if (!o.id) o.id = argv[i];
        else die_msg("args", "unexpected argument %s", argv[i]);
    }
    if (!o.id)
        die_msg("args", "%s needs a container id", argv[0]);
    return cmd_create_or_run(&o);
}

static int verb_exec(int argc, char **argv, const char *root)
{
    struct exec_opts o = { .root = root };
    o.env = xcalloc(argc, sizeof(char *));
    o.caps = xcalloc(argc, sizeof(char *));
    int i = 1;
    for (; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "--")) { i++; break; }
        if (argv[i][0] != '-') break;
        if ((v = flag_value(argc, argv, &i, "process", "-p"))) o.process_file = v;
        else if ((v = flag_value(argc, argv, &i, "console-socket", NULL))) o.console_socket = v;
        else if ((v = flag_value(argc, argv, &i, "pid-file", NULL))) o.pid_file = v;
        else if ((v = flag_value(argc, argv, &i, "cwd", NULL))) o.cwd = v;
        else if ((v = flag_value(argc, argv, &i, "env", "-e"))) o.env[o.n_env++] = v;
        else if ((v = flag_value(argc, argv, &i, "user", "-u"))) o.user = v;
        else if ((v = flag_value(argc, argv, &i, "cap", "-c"))) o.caps[o.n_caps++] = v;
        else if (is_flag(argv[i], "tty") || is_flag(argv[i], "t")) o.tty = true;
        else if (is_flag(argv[i], "detach") || is_flag(argv[i], "d")) o.detach = true;
        else if (is_flag(argv[i], "no-new-privs")) o.no_new_privs = true;
        else if ((v = flag_value(argc, argv, &i, "apparmor", NULL)) || (v = flag_value(argc, argv, &i, "process-label", NULL)) ||
                 (v = flag_value(argc, argv, &i, "preserve-fds", NULL)))
            die_msg("args", "%s is not supported", argv[i]);
        else die_msg("args", "unknown flag %s", argv[i]);
    }
    if (i >= argc)
        die_msg("args", "usage: ctui-runtime exec [flags] ID [CMD ARGS...]");
    o.id = argv[i++];
    o.args = argv + i;
    o.n_args = argc - i;
    return cmd_exec(&o);
}

static const char *one_id(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        die_msg("args", "usage: ctui-runtime %s ID", argv[0]);
    return argv[1];
}

int main(int argc, char **argv)
{
    const char *root = DEFAULT_ROOT;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *v;
        if ((v = flag_value(argc, argv, &i, "root", NULL))) root = v;
        else if ((v = flag_value(argc, argv, &i, "log", NULL))) util_set_log(v);
        else if ((v = flag_value(argc, argv, &i, "log-format", NULL))) { /* runc compat: ignored */ }
        else if (is_flag(argv[i], "debug")) g_debug = 1;
        else if (is_flag(argv[i], "systemd-cgroup")) die_msg("args", "--systemd-cgroup is not supported");
        else if (is_flag(argv[i], "version") || is_flag(argv[i], "v")) { argv[i] = "version"; break; }
        else if (is_flag(argv[i], "help") || is_flag(argv[i], "h")) usage();
        else die_msg("args", "unknown global flag %s", argv[i]);
    }
    if (i >= argc)
        usage();
    argc -= i;
    argv += i;
    const char *verb = argv[0];
    if (!strcmp(verb, "create") || !strcmp(verb, "run") || !strcmp(verb, "exec"))
        ensure_cloned_binary(argv - i); /* the full original argv */
    if (!strcmp(verb, "version")) {
        printf("ctui-runtime version %s\nspec: 1.0.2\n", VERSION);
        return 0;
    }
    if (!strcmp(verb, "run")) {
        g_fail_code = EXIT_RUN_FAIL;
        return verb_create(argc, argv, root, true);
    }
    if (!strcmp(verb, "create"))
        return verb_create(argc, argv, root, false);
    if (!strcmp(verb, "start"))
        return cmd_start(root, one_id(argc, argv));
    if (!strcmp(verb, "state"))
        return cmd_state(root, one_id(argc, argv));
    if (!strcmp(verb, "kill")) {
        bool all = false;
        const char *id = NULL, *sig = NULL;
        for (int k = 1; k < argc; k++) {
            if (is_flag(argv[k], "all") || is_flag(argv[k], "a")) all = true;
            else if (!id) id = argv[k];
            else if (!sig) sig = argv[k];
            else die_msg("args", "unexpected argument %s", argv[k]);
        }
        if (!id)
            die_msg("args", "usage: ctui-runtime kill [--all] ID [SIGNAL]");
        return cmd_kill(root, id, sig, all);
    }
    if (!strcmp(verb, "delete")) {
        bool force = false;
        const char *id = NULL;
        for (int k = 1; k < argc; k++) {
            if (is_flag(argv[k], "force") || is_flag(argv[k], "f")) force = true;
            else if (!id) id = argv[k];
            else die_msg("args", "unexpected argument %s", argv[k]);
        }
        if (!id)
            die_msg("args", "usage: ctui-runtime delete [--force] ID");
        return cmd_delete(root, id, force);
    }
    if (!strcmp(verb, "exec")) {
        g_fail_code = EXIT_RUN_FAIL;
        return verb_exec(argc, argv, root);
    }
    if (!strcmp(verb, "pause") || !strcmp(verb, "resume"))
        return cmd_pause_resume(root, one_id(argc, argv), verb[0] == 'p');
    if (!strcmp(verb, "update"))
        return update_main(argc, argv, root);
    if (!strcmp(verb, "_mount-overlay"))
        return fsops_mount_overlay(argc, argv);
    if (!strcmp(verb, "_umount"))
        return fsops_umount(argc, argv);
    if (!strcmp(verb, "_fsops"))
        return fsops_batch(argc, argv);
    if (!strcmp(verb, "_user"))
        return usercmd_main(argc, argv);
    if (!strcmp(verb, "_cp"))
        return cpcmd_main(argc, argv);
    die_msg("args", "unknown command %s", verb);
}
