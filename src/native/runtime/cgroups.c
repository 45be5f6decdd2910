/* cgroups.c - resource limits. The container's cgroup is created and configured by the
 * parent before the init runs anything, and the init is moved into it before it
 * unshares its cgroup namespace (so the namespace root is the container's own cgroup
 * and /sys/fs/cgroup inside shows nothing of the host's tree) and long before execve
 * (so the workload can never run unlimited, even briefly). */
#include "cgroups.h"
#include "cgfile.h"
#include "cglimits.h"
#include "devbpf.h"
#include "resolve.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>

#define STAGE "cgroups"
#define CGROOT "/sys/fs/cgroup"

/* The v1 controllers we place the container in (freezer for pause, the rest for limits
 * and stats). Hierarchies not listed here (name=systemd, net_cls, ...) are left alone. */
static const char *const v1_ctrls[] = { "memory", "cpu", "cpuacct", "pids", "devices", "freezer", "blkio", "cpuset" };
#define N_V1 (sizeof(v1_ctrls) / sizeof(v1_ctrls[0]))

enum cg_mode cgroups_mode(void)
{
    static int mode = -1;
    if (mode >= 0)
        return (enum cg_mode)mode;
    struct statfs sf;
    struct stat sb;
    if (stat(CGROOT "/memory", &sb) == 0 && S_ISDIR(sb.st_mode))
        mode = CG_V1;
    else if (statfs(CGROOT, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC)
        mode = CG_V2;
    else
        mode = CG_NONE;
    return (enum cg_mode)mode;
}

/* cgroupsPath is cleaned lexically so "../../x" can never leave the hierarchy. */
char *cgroups_host_dir(const char *cgpath, const char *dir)
{
    char *clean = clean_path(cgpath);
    char *r = dir ? xasprintf(CGROOT "/%s%s", dir, clean) : xasprintf(CGROOT "%s", clean);
    free(clean);
    return r;
}

static bool v1_available(const char *ctrl)
{
    char p[128];
    struct stat sb;
    snprintf(p, sizeof(p), CGROOT "/%s", ctrl);
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

bool cgroups_path_is_root(const char *cgpath)
{
    char *clean = clean_path(cgpath ? cgpath : "/");
    bool root = !strcmp(clean, "/");
    free(clean);
    return root;
}

/* A cgroup that exists already and holds processes is someone else's: joining it
 * would put the container beside them, and our cleanup would kill them (runc refuses
 * a non-empty cgroup too). */
static void refuse_populated(const char *dir)
{
    char *p = xasprintf("%s/cgroup.procs", dir);
    char buf[64];
    ssize_t n = read_file_at(AT_FDCWD, p, buf, sizeof(buf));
    free(p);
    if (n > 0)
        die_msg(STAGE, "cgroup %s already exists and has processes in it, refusing to use it", dir);
}

void cgroups_create(const struct config *c, unsigned *owned)
{
    enum cg_mode m = cgroups_mode();
    *owned = 0;
    if (m == CG_NONE)
        return;
    /* Never the hierarchy root: limits there apply to the whole host, and cleanup
     * would SIGKILL every process in it (config_load refuses it too). */
    if (cgroups_path_is_root(c->cgroups_path))
        die_msg(STAGE, "cgroupsPath %s is the cgroup root, refusing", c->cgroups_path);
    if (m == CG_V2) {
        char *dir = cgroups_host_dir(c->cgroups_path, NULL);
        struct stat sb;
        if (stat(dir, &sb) == 0)
            refuse_populated(dir);
        if (cg_v2_create_levels(dir))
            *owned |= CG_OWNED_V2;
        cg_v2_apply(c, dir);
        devbpf_apply(c, dir);
        free(dir);
        return;
    }
    for (size_t i = 0; i < N_V1; i++) {
        if (!v1_available(v1_ctrls[i]))
            continue;
        char *dir = cgroups_host_dir(c->cgroups_path, v1_ctrls[i]);
        struct stat sb;
        bool existed = stat(dir, &sb) == 0;
        if (existed)
            refuse_populated(dir);
        if (mkdir_p(dir, 0755) < 0)
            die_errno(STAGE, "create %s", dir);
        if (!existed)
            *owned |= 1u << i; /* only what we created is ours to remove */
        cg_v1_apply(c, v1_ctrls[i], dir);
        free(dir);
    }
}

void cgroups_join(const char *cgpath, pid_t pid)
{
    char v[24];
    snprintf(v, sizeof(v), "%d", pid);
    enum cg_mode m = cgroups_mode();
    if (m == CG_V2) {
        char *dir = cgroups_host_dir(cgpath, NULL);
        cg_write(dir, "cgroup.procs", v, false);
        free(dir);
        return;
    }
    if (m != CG_V1)
        return;
    for (size_t i = 0; i < N_V1; i++) {
        if (!v1_available(v1_ctrls[i]))
            continue;
        char *dir = cgroups_host_dir(cgpath, v1_ctrls[i]);
        cg_write(dir, "cgroup.procs", v, false);
        free(dir);
    }
}

static size_t v1_index(const char *ctrl)
{
    for (size_t i = 0; i < N_V1; i++)
        if (!strcmp(v1_ctrls[i], ctrl))
            return i;
    return N_V1;
}

/* The hierarchy used to enumerate a container's processes; NULL unless that cgroup is
 * one the container's create made (OWNED) - never signal a cgroup we did not create. */
static char *procs_dir(const char *cgpath, unsigned owned)
{
    enum cg_mode m = cgroups_mode();
    if (!cgpath || !*cgpath || cgroups_path_is_root(cgpath))
        return NULL;
    if (m == CG_V2)
        return (owned & CG_OWNED_V2) ? cgroups_host_dir(cgpath, NULL) : NULL;
    if (m == CG_V1) {
        const char *ctrl = v1_available("pids") ? "pids" : "memory";
        return (owned & (1u << v1_index(ctrl))) ? cgroups_host_dir(cgpath, ctrl) : NULL;
    }
    return NULL;
}

int cgroups_signal_all(const char *cgpath, unsigned owned, int sig)
{
    char *dir = procs_dir(cgpath, owned);
    if (!dir)
        return 0;
    char *p = xasprintf("%s/cgroup.procs", dir);
    FILE *f = fopen(p, "re");
    int n = 0;
    if (f) {
        long pid;
        while (fscanf(f, "%ld", &pid) == 1)
            if (pid > 0 && kill((pid_t)pid, sig) == 0)
                n++;
        fclose(f);
    }
    free(p);
    free(dir);
    return n;
}

static void rmdir_retry(const char *dir)
{
    /* rmdir fails with EBUSY until the killed tasks are fully gone: retry briefly. */
    for (int i = 0; i < 200; i++) {
        if (rmdir(dir) == 0 || errno == ENOENT)
            return;
        if (errno != EBUSY)
            break;
        struct timespec ts = { 0, 5 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    warn_msg(STAGE, "remove %s: %s", dir, strerror(errno));
}

void cgroups_destroy(const char *cgpath, unsigned owned, bool kill_all)
{
    if (!cgpath || !*cgpath || cgroups_path_is_root(cgpath))
        return;
    enum cg_mode m = cgroups_mode();
    if (m == CG_NONE)
        return;
    /* With its own pid namespace, killing the container's pid 1 kills everything in it
     * (the caller did that): no cgroup-wide kill, as runc. Otherwise only a cgroup we
     * created (procs_dir checks OWNED). */
    if (kill_all)
        cgroups_signal_all(cgpath, owned, SIGKILL);
    if (m == CG_V2) {
        if (!(owned & CG_OWNED_V2))
            return;
        char *dir = cgroups_host_dir(cgpath, NULL);
        rmdir_retry(dir);
        free(dir);
        return;
    }
    for (size_t i = 0; i < N_V1; i++) {
        if (!v1_available(v1_ctrls[i]) || !(owned & (1u << i)))
            continue;
        char *dir = cgroups_host_dir(cgpath, v1_ctrls[i]);
        struct stat sb;
        if (stat(dir, &sb) == 0)
            rmdir_retry(dir);
        free(dir);
    }
}

size_t cgroups_v1_hierarchies(struct cg_hier *out, size_t cap)
{
    FILE *f = fopen("/proc/self/mountinfo", "re");
    if (!f)
        return 0;
    size_t n = 0;
    char *line = NULL;
    size_t len = 0;
    while (getline(&line, &len, f) > 0 && n < cap) {
        /* ... mountpoint ... - fstype source superopts */
        char *sep = strstr(line, " - cgroup ");
        if (!sep)
            continue;
        char *fields[6] = {0};
        char *save = NULL, *tok = strtok_r(line, " ", &save);
        for (int i = 0; tok && i < 5; i++, tok = strtok_r(NULL, " ", &save))
            fields[i] = tok;
        char *mnt = fields[4];
        char *super = strrchr(sep + 10, ' ');
        if (!mnt || !super || strncmp(mnt, CGROOT "/", strlen(CGROOT) + 1))
            continue;
        super++;
        super[strcspn(super, "\n")] = 0;
        /* Keep only controller names from the super options; include the hierarchy only
         * if we actually placed the container in it - mounting any other hierarchy in
         * the container would expose the host's whole tree of that hierarchy. */
        char opts[128] = "";
        bool joined = false;
        char *s2 = NULL;
        for (char *o = strtok_r(super, ",", &s2); o; o = strtok_r(NULL, ",", &s2)) {
            if (!strcmp(o, "rw") || !strcmp(o, "ro") || !strncmp(o, "release_agent", 13) ||
                !strcmp(o, "xattr") || !strcmp(o, "clone_children") || !strcmp(o, "noprefix"))
                continue;
            for (size_t i = 0; i < N_V1; i++)
                if (!strcmp(o, v1_ctrls[i]))
                    joined = true;
            if (strlen(opts) + strlen(o) + 2 < sizeof(opts)) {
                if (opts[0])
                    strcat(opts, ",");
                strcat(opts, o);
            }
        }
        if (!joined || strstr(opts, "name="))
            continue;
        const char *base = strrchr(mnt, '/') + 1;
        snprintf(out[n].dir, sizeof(out[n].dir), "%s", base);
        snprintf(out[n].opts, sizeof(out[n].opts), "%s", opts);
        n++;
    }
    free(line);
    fclose(f);
    return n;
}

/* ---- freezer (pause/resume) ----
 * v1: freezer.state FROZEN/THAWED; the kernel may stay in FREEZING while a task is in
 * an uninterruptible sleep, so (like runc) re-write FROZEN and re-read until it sticks.
 * v2: cgroup.freeze 1/0; completion is reported as "frozen 1" in cgroup.events. */
static bool freezer_is(const char *cgpath, bool want_frozen)
{
    char buf[256];
    enum cg_mode m = cgroups_mode();
    char *dir = cgroups_host_dir(cgpath, m == CG_V1 ? "freezer" : NULL);
    char *p = xasprintf("%s/%s", dir, m == CG_V1 ? "freezer.state" : "cgroup.events");
    bool r = false;
    if (read_file_at(AT_FDCWD, p, buf, sizeof(buf)) > 0) {
        if (m == CG_V1)
            r = want_frozen ? !strncmp(buf, "FROZEN", 6) : !strncmp(buf, "THAWED", 6);
        else {
            char *f = strstr(buf, "frozen ");
            r = f && (f[7] == '1') == want_frozen;
        }
    }
    free(p);
    free(dir);
    return r;
}

bool cgroups_frozen(const char *cgpath)
{
    enum cg_mode m = cgroups_mode();
    if (m == CG_NONE || !cgpath || !*cgpath)
        return false;
    if (m == CG_V2) {
        /* cgroup.freeze is the requested state; a freeze in progress counts as paused. */
        char buf[16];
        char *dir = cgroups_host_dir(cgpath, NULL);
        char *p = xasprintf("%s/cgroup.freeze", dir);
        bool r = read_file_at(AT_FDCWD, p, buf, sizeof(buf)) > 0 && buf[0] == '1';
        free(p);
        free(dir);
        return r;
    }
    char buf[32];
    char *dir = cgroups_host_dir(cgpath, "freezer");
    char *p = xasprintf("%s/freezer.state", dir);
    bool r = read_file_at(AT_FDCWD, p, buf, sizeof(buf)) > 0 &&
             (!strncmp(buf, "FROZEN", 6) || !strncmp(buf, "FREEZING", 8));
    free(p);
    free(dir);
    return r;
}

void cgroups_freeze(const char *cgpath, bool frozen)
{
    enum cg_mode m = cgroups_mode();
    if (m == CG_NONE)
        die_msg(STAGE, "no cgroup freezer on this host");
    if (m == CG_V1 && !v1_available("freezer"))
        die_msg(STAGE, "the freezer cgroup controller is not mounted");
    char *dir = cgroups_host_dir(cgpath, m == CG_V1 ? "freezer" : NULL);
    const char *file = m == CG_V1 ? "freezer.state" : "cgroup.freeze";
    const char *val = m == CG_V1 ? (frozen ? "FROZEN" : "THAWED") : (frozen ? "1" : "0");
    for (int i = 0; i < 2000; i++) { /* ~10 s */
        if (i % 20 == 0)
            cg_write(dir, file, val, false);
        if (freezer_is(cgpath, frozen)) {
            free(dir);
            return;
        }
        nanosleep(&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
    }
    if (frozen) /* never leave a half-frozen container behind */
        cg_write(dir, file, m == CG_V1 ? "THAWED" : "0", true);
    die_msg(STAGE, "timed out waiting for the container to %s", frozen ? "freeze" : "thaw");
}
