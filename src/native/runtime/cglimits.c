/* cglimits.c - writing a container's resource limits into its cgroup files: v1 (memory, cpu,
 * pids, blkio, cpuset, the devices allow/deny list) and v2 (*.max files, controllers enabled
 * level by level, the eBPF device filter). cgroups.c creates, joins and removes the cgroups. */
#include "cgfile.h"
#include "cglimits.h"
#include "devbpf.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STAGE "cgroups"
#define CGROOT "/sys/fs/cgroup"

/* Devices every container gets regardless of the config, like runc's AllowedDevices:
 * without them even /dev/null would be unusable under a default-deny rule. */
static const char *const default_dev_allow[] = {
    "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm", /* null zero full random urandom */
    "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm",           /* tty console ptmx pts */
};

/* cpuset: a fresh v1 cpuset cgroup has empty cpus/mems and refuses tasks; copy them
 * from the parent at every level we create. */
static void cpuset_fill(const char *leaf)
{
    char *path = xstrdup(leaf);
    size_t base = strlen(CGROOT "/cpuset");
    for (char *p = path + base + 1; ; p++) {
        if (*p != '/' && *p)
            continue;
        char c = *p;
        *p = 0;
        char *parent = xstrdup(path);
        *strrchr(parent, '/') = 0;
        static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
        for (int i = 0; i < 2; i++) {
            char cur[4096], par[4096];
            char *cp = xasprintf("%s/%s", path, files[i]);
            char *pp = xasprintf("%s/%s", parent, files[i]);
            if (read_file_at(AT_FDCWD, cp, cur, sizeof(cur)) >= 0 && (cur[0] == '\n' || !cur[0]) &&
                read_file_at(AT_FDCWD, pp, par, sizeof(par)) > 0 && write_file(cp, par) < 0)
                die_errno(STAGE, "write %s", cp);
            free(cp);
            free(pp);
        }
        free(parent);
        *p = c;
        if (!c)
            break;
    }
    free(path);
}

static void v1_devices(const struct config *c, const char *dir)
{
    /* Default deny first: a device node the container can create or that is bind
     * mounted in later is useless unless explicitly allowed here. */
    cg_write(dir, "devices.deny", "a", false);
    for (size_t i = 0; i < c->res.n_devrules; i++) {
        const struct devrule_cfg *r = &c->res.devrules[i];
        char rule[64], maj[24], min[24];
        if (r->major < 0) strcpy(maj, "*"); else snprintf(maj, sizeof(maj), "%" PRId64, r->major);
        if (r->minor < 0) strcpy(min, "*"); else snprintf(min, sizeof(min), "%" PRId64, r->minor);
        if (r->type == 'a')
            snprintf(rule, sizeof(rule), "a *:* %s", r->access);
        else
            snprintf(rule, sizeof(rule), "%c %s:%s %s", r->type, maj, min, r->access);
        cg_write(dir, r->allow ? "devices.allow" : "devices.deny", rule, false);
    }
    for (size_t i = 0; i < sizeof(default_dev_allow) / sizeof(default_dev_allow[0]); i++)
        cg_write(dir, "devices.allow", default_dev_allow[i], false);
    for (size_t i = 0; i < c->n_devices; i++) {
        const struct device_cfg *d = &c->devices[i];
        if (d->type != 'c' && d->type != 'b' && d->type != 'u')
            continue;
        char rule[64];
        snprintf(rule, sizeof(rule), "%c %" PRId64 ":%" PRId64 " rwm", d->type == 'b' ? 'b' : 'c', d->major, d->minor);
        cg_write(dir, "devices.allow", rule, false);
    }
}

/* Kernel memory: since Linux 5.16 memory.kmem.limit_in_bytes accepts a write and keeps
 * "unlimited" (the limit was removed). Read back, so a limit the kernel ignores is an
 * error naming the field instead of a promise nobody keeps. */
static void v1_kmem(const char *dir, int64_t limit)
{
    char v[32], got[32] = "";
    snprintf(v, sizeof(v), "%" PRId64, limit);
    cg_write(dir, "memory.kmem.limit_in_bytes", v, false);
    char *path = xasprintf("%s/memory.kmem.limit_in_bytes", dir);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, got, sizeof(got) - 1) : -1;
    if (fd >= 0)
        close(fd);
    free(path);
    long long want = limit, have = n > 0 ? strtoll(got, NULL, 10) : -2;
    /* the kernel rounds to pages; -1 means unlimited */
    if (limit >= 0 && (have < 0 || have > want || want - have >= 4096))
        die_msg("cgroups", "linux.resources.memory.kernel is not supported: this kernel ignores kernel memory limits (memory.kmem.limit_in_bytes reads %lld after writing %lld)",
                have, want);
}

void cg_v1_apply(const struct config *c, const char *ctrl, const char *dir)
{
    const struct resources_cfg *r = &c->res;
    char v[64];
    if (!strcmp(ctrl, "memory")) {
        if (r->has_mem_limit) {
            snprintf(v, sizeof(v), "%" PRId64, r->mem_limit);
            cg_write(dir, "memory.limit_in_bytes", v, false);
        }
        if (r->has_mem_swap) { /* OCI swap = memory+swap total, as memsw */
            snprintf(v, sizeof(v), "%" PRId64, r->mem_swap);
            cg_write(dir, "memory.memsw.limit_in_bytes", v, true);
        }
        if (r->has_mem_reservation) {
            snprintf(v, sizeof(v), "%" PRId64, r->mem_reservation);
            cg_write(dir, "memory.soft_limit_in_bytes", v, false);
        }
        if (r->has_mem_kernel)
            v1_kmem(dir, r->mem_kernel);
        if (r->has_mem_kernel_tcp) {
            snprintf(v, sizeof(v), "%" PRId64, r->mem_kernel_tcp);
            cg_write(dir, "memory.kmem.tcp.limit_in_bytes", v, false);
        }
        if (r->has_swappiness) {
            snprintf(v, sizeof(v), "%" PRIu64, r->swappiness);
            cg_write(dir, "memory.swappiness", v, false);
        }
        /* The container's tasks then wait for memory instead of being OOM-killed. */
        if (r->disable_oom_killer)
            cg_write(dir, "memory.oom_control", "1", false);
    } else if (!strcmp(ctrl, "cpu")) {
        if (r->has_cpu_shares) {
            snprintf(v, sizeof(v), "%" PRIu64, r->cpu_shares);
            cg_write(dir, "cpu.shares", v, false);
        }
        if (r->has_cpu_period) { /* period before quota: quota is validated against it */
            snprintf(v, sizeof(v), "%" PRIu64, r->cpu_period);
            cg_write(dir, "cpu.cfs_period_us", v, false);
        }
        if (r->has_cpu_quota) {
            snprintf(v, sizeof(v), "%" PRId64, r->cpu_quota);
            cg_write(dir, "cpu.cfs_quota_us", v, false);
        }
    } else if (!strcmp(ctrl, "pids")) {
        if (r->has_pids_limit) {
            if (r->pids_limit > 0) snprintf(v, sizeof(v), "%" PRId64, r->pids_limit);
            else strcpy(v, "max");
            cg_write(dir, "pids.max", v, false);
        }
    } else if (!strcmp(ctrl, "devices")) {
        v1_devices(c, dir);
    } else if (!strcmp(ctrl, "cpuset")) {
        cpuset_fill(dir);
        if (r->cpuset_cpus && *r->cpuset_cpus)
            cg_write(dir, "cpuset.cpus", r->cpuset_cpus, false);
        if (r->cpuset_mems && *r->cpuset_mems)
            cg_write(dir, "cpuset.mems", r->cpuset_mems, false);
    } else if (!strcmp(ctrl, "blkio")) {
        if (r->has_blkio_weight) {
            snprintf(v, sizeof(v), "%u", r->blkio_weight);
            cg_write(dir, "blkio.weight", v, false); /* missing (no BFQ/CFQ): an error, not a skip */
        }
    }
}

/* Is TOK one of the space-separated words of LIST? (strstr would match "cpu" in
 * "cpuset" and enable a controller that is not there.) */
static bool has_token(const char *list, const char *tok)
{
    size_t n = strlen(tok);
    for (const char *p = list; (p = strstr(p, tok)); p += n)
        if ((p == list || p[-1] == ' ' || p[-1] == '\n') && (!p[n] || p[n] == ' ' || p[n] == '\n'))
            return true;
    return false;
}

/* v2: controllers a child can use must be enabled in its PARENT's subtree_control,
 * and a directory must exist before we can write into it. So, walking down from the
 * hierarchy root: enable in the current level, then create the next one. The leaf
 * itself gets none (a cgroup with controllers enabled for children cannot hold
 * processes). Best effort: a missing controller shows up when its limit is written. */
static void v2_enable(const char *dir)
{
    char avail[512];
    char *cf = xasprintf("%s/cgroup.controllers", dir);
    if (read_file_at(AT_FDCWD, cf, avail, sizeof(avail)) >= 0) {
        static const char *const want[] = { "memory", "cpu", "pids", "cpuset", "io" };
        for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
            char tok[32];
            snprintf(tok, sizeof(tok), "+%s", want[i]);
            char *sc = xasprintf("%s/cgroup.subtree_control", dir);
            if (has_token(avail, want[i]) && write_file(sc, tok) < 0)
                debug_msg("cgroups: enable %s in %s: %s", want[i], dir, strerror(errno));
            free(sc);
        }
    }
    free(cf);
}

/* Creates every level of LEAF (below CGROOT) with controllers enabled on the way.
 * Returns whether the leaf was created by us (false: it already existed). */
bool cg_v2_create_levels(const char *leaf)
{
    char *path = xstrdup(leaf);
    size_t base = strlen(CGROOT);
    bool created = false;
    for (char *p = path + base + 1; ; p++) {
        if (*p && *p != '/')
            continue;
        char c = *p;
        *p = 0;
        char *parent = xstrdup(path);
        *strrchr(parent, '/') = 0;
        v2_enable(parent);
        free(parent);
        if (mkdir(path, 0755) == 0)
            created = !c;
        else if (errno != EEXIST)
            die_errno(STAGE, "create %s", path);
        *p = c;
        if (!c)
            break;
    }
    free(path);
    return created;
}

void cg_v2_apply(const struct config *c, const char *dir)
{
    const struct resources_cfg *r = &c->res;
    char v[64];
    /* cgroup v2 has no file for these (runc skips them silently; we say so). */
    if (r->has_mem_kernel || r->has_mem_kernel_tcp)
        die_msg("cgroups", "linux.resources.memory.%s is not supported on cgroup v2 (no kernel memory limits)",
                r->has_mem_kernel ? "kernel" : "kernelTCP");
    if (r->has_swappiness)
        die_msg("cgroups", "linux.resources.memory.swappiness is not supported on cgroup v2 (no per-cgroup swappiness)");
    if (r->disable_oom_killer)
        die_msg("cgroups", "linux.resources.memory.disableOOMKiller is not supported on cgroup v2");
    if (r->has_mem_limit) {
        if (r->mem_limit > 0) snprintf(v, sizeof(v), "%" PRId64, r->mem_limit); else strcpy(v, "max");
        cg_write(dir, "memory.max", v, false);
        if (r->has_mem_swap) { /* v2 swap.max is swap only, OCI's is memory+swap */
            if (r->mem_swap < 0) strcpy(v, "max");
            else snprintf(v, sizeof(v), "%" PRId64, r->mem_swap > r->mem_limit ? r->mem_swap - r->mem_limit : 0);
            cg_write(dir, "memory.swap.max", v, true);
        }
    }
    if (r->has_mem_reservation) {
        snprintf(v, sizeof(v), "%" PRId64, r->mem_reservation);
        cg_write(dir, "memory.low", v, false);
    }
    if (r->has_cpu_quota || r->has_cpu_period) {
        char q[24];
        if (r->has_cpu_quota && r->cpu_quota > 0) snprintf(q, sizeof(q), "%" PRId64, r->cpu_quota);
        else strcpy(q, "max");
        snprintf(v, sizeof(v), "%s %" PRIu64, q, r->has_cpu_period ? r->cpu_period : 100000);
        cg_write(dir, "cpu.max", v, false);
    }
    if (r->has_cpu_shares && r->cpu_shares >= 2) { /* runc's shares -> weight mapping */
        snprintf(v, sizeof(v), "%" PRIu64, 1 + ((r->cpu_shares - 2) * 9999) / 262142);
        cg_write(dir, "cpu.weight", v, false);
    }
    if (r->has_pids_limit) {
        if (r->pids_limit > 0) snprintf(v, sizeof(v), "%" PRId64, r->pids_limit); else strcpy(v, "max");
        cg_write(dir, "pids.max", v, false);
    }
    if (r->cpuset_cpus && *r->cpuset_cpus) cg_write(dir, "cpuset.cpus", r->cpuset_cpus, false);
    if (r->cpuset_mems && *r->cpuset_mems) cg_write(dir, "cpuset.mems", r->cpuset_mems, false);
    /* Devices: a BPF_PROG_TYPE_CGROUP_DEVICE program (devbpf.c); attached by the caller
     * once the directory is ours. */
}
