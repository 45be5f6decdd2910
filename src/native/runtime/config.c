/* config.c - parse config.json with jansson into struct config. Any type error is fatal:
 * a silently ignored field in a security setting (caps, seccomp, masks) would be a hole. */
#include "config.h"
#include "caps.h"
#include "cgroups.h"
#include "hooks.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define STAGE "config"

static json_t *opt(json_t *o, const char *key, json_type want, const char *where)
{
    json_t *v = o ? json_object_get(o, key) : NULL;
    if (!v || json_is_null(v))
        return NULL;
    if (json_typeof(v) != want && !(want == JSON_INTEGER && json_is_real(v)) &&
        !(want == JSON_TRUE && json_is_boolean(v)))
        die_msg(STAGE, "%s.%s has the wrong type", where, key);
    return v;
}

static const char *opt_str(json_t *o, const char *key, const char *where)
{
    json_t *v = opt(o, key, JSON_STRING, where);
    return v ? json_string_value(v) : NULL;
}

static bool opt_bool(json_t *o, const char *key, const char *where)
{
    json_t *v = opt(o, key, JSON_TRUE, where);
    return v && json_is_true(v);
}

static bool opt_int(json_t *o, const char *key, const char *where, int64_t *out)
{
    json_t *v = opt(o, key, JSON_INTEGER, where);
    if (!v)
        return false;
    *out = json_is_integer(v) ? json_integer_value(v) : (int64_t)json_real_value(v);
    return true;
}

/* Unsigned 64-bit values (rlimits, cpu.shares) may exceed INT64_MAX in JSON; jansson
 * then stores them as reals. */
static bool opt_u64(json_t *o, const char *key, const char *where, uint64_t *out)
{
    json_t *v = opt(o, key, JSON_INTEGER, where);
    if (!v)
        return false;
    if (json_is_integer(v))
        *out = (uint64_t)json_integer_value(v);
    else
        *out = json_real_value(v) >= 1.8e19 ? UINT64_MAX : (uint64_t)json_real_value(v);
    return true;
}

/* A runtime-spec field we cannot honour: refused with one line naming it, never ignored
 * (a security or resource setting the operator believes is in force would be a lie).
 * Absent, null, false, 0, "" and empty arrays/objects count as not set. Fields the spec
 * does not define are ignored, as it requires ("MUST ignore unknown properties"). */
static void refuse_set(json_t *o, const char *key, const char *where, const char *why)
{
    json_t *v = o ? json_object_get(o, key) : NULL;
    if (!v || json_is_null(v) || json_is_false(v) || (json_is_integer(v) && !json_integer_value(v)) ||
        (json_is_string(v) && !*json_string_value(v)) || (json_is_array(v) && !json_array_size(v)) ||
        (json_is_object(v) && !json_object_size(v)))
        return;
    die_msg(STAGE, "%s.%s is not supported: %s", where, key, why);
}

struct refusal { const char *key, *why; };
#define REFUSE_ALL(o, where, table) refuse_all(o, where, table, sizeof(table) / sizeof(table[0]))

static void refuse_all(json_t *o, const char *where, const struct refusal *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        refuse_set(o, t[i].key, where, t[i].why);
}

static const char **str_array(json_t *o, const char *key, const char *where, size_t *n)
{
    json_t *a = opt(o, key, JSON_ARRAY, where);
    *n = a ? json_array_size(a) : 0;
    const char **out = xcalloc(*n + 1, sizeof(char *));
    for (size_t i = 0; i < *n; i++) {
        json_t *s = json_array_get(a, i);
        if (!json_is_string(s))
            die_msg(STAGE, "%s.%s[%zu] is not a string", where, key, i);
        out[i] = json_string_value(s);
    }
    return out;
}

static const struct { const char *name; int res; } rlimit_names[] = {
    {"RLIMIT_CPU", RLIMIT_CPU}, {"RLIMIT_FSIZE", RLIMIT_FSIZE}, {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_STACK", RLIMIT_STACK}, {"RLIMIT_CORE", RLIMIT_CORE}, {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_NPROC", RLIMIT_NPROC}, {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_AS", RLIMIT_AS}, {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING}, {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE}, {"RLIMIT_RTPRIO", RLIMIT_RTPRIO}, {"RLIMIT_RTTIME", RLIMIT_RTTIME},
};

static void parse_rlimits(struct config *c, json_t *proc)
{
    json_t *a = opt(proc, "rlimits", JSON_ARRAY, "process");
    c->n_rlimits = a ? json_array_size(a) : 0;
    c->rlimits = xcalloc(c->n_rlimits, sizeof(*c->rlimits));
    for (size_t i = 0; i < c->n_rlimits; i++) {
        json_t *r = json_array_get(a, i);
        const char *type = opt_str(r, "type", "process.rlimits[]");
        struct rlimit_cfg *rl = &c->rlimits[i];
        rl->resource = -1;
        for (size_t k = 0; type && k < sizeof(rlimit_names) / sizeof(rlimit_names[0]); k++)
            if (!strcmp(type, rlimit_names[k].name))
                rl->resource = rlimit_names[k].res, rl->name = rlimit_names[k].name;
        if (rl->resource < 0)
            die_msg(STAGE, "process.rlimits: unknown type %s", type ? type : "(none)");
        if (!opt_u64(r, "soft", "process.rlimits[]", &rl->soft) ||
            !opt_u64(r, "hard", "process.rlimits[]", &rl->hard))
            die_msg(STAGE, "process.rlimits: %s needs soft and hard", type);
    }
}

static uint64_t cap_set(json_t *caps, const char *key)
{
    size_t n;
    const char **names = str_array(caps, key, "process.capabilities", &n);
    uint64_t mask = 0;
    for (size_t i = 0; i < n; i++) {
        int cap = caps_from_name(names[i]);
        /* Refused, not skipped: a typo in a drop list or a cap the kernel lacks would
         * otherwise leave the process with other privileges than the config states
         * (runtime-spec: a value that cannot be mapped to the kernel MUST be an error). */
        if (cap < 0)
            die_msg(STAGE, "process.capabilities.%s: unknown capability %s", key, names[i]);
        if (cap > caps_last_cap())
            die_msg(STAGE, "process.capabilities.%s: %s is not supported by this kernel (last cap %d)",
                    key, names[i], caps_last_cap());
        mask |= 1ULL << cap;
    }
    free(names);
    return mask;
}

static void parse_process(struct config *c, json_t *root)
{
    json_t *p = opt(root, "process", JSON_OBJECT, "config");
    if (!p)
        die_msg(STAGE, "config.json has no process");
    c->terminal = opt_bool(p, "terminal", "process");
    json_t *cs = opt(p, "consoleSize", JSON_OBJECT, "process");
    int64_t h = 0, w = 0;
    if (cs && (!opt_int(cs, "height", "process.consoleSize", &h) || !opt_int(cs, "width", "process.consoleSize", &w) ||
               h < 0 || w < 0 || h > 65535 || w > 65535))
        die_msg(STAGE, "process.consoleSize needs a height and a width of 0-65535");
    c->console_rows = (unsigned short)h;
    c->console_cols = (unsigned short)w;
    json_t *u = opt(p, "user", JSON_OBJECT, "process");
    int64_t v;
    if (opt_int(u, "uid", "process.user", &v)) c->uid = (uid_t)v;
    if (opt_int(u, "gid", "process.user", &v)) c->gid = (gid_t)v;
    if (opt_int(u, "umask", "process.user", &v)) c->has_umask = true, c->umask = (mode_t)v;
    json_t *ag = opt(u, "additionalGids", JSON_ARRAY, "process.user");
    c->n_add_gids = ag ? json_array_size(ag) : 0;
    c->add_gids = xcalloc(c->n_add_gids, sizeof(gid_t));
    for (size_t i = 0; i < c->n_add_gids; i++)
        c->add_gids[i] = (gid_t)json_integer_value(json_array_get(ag, i));
    c->args = str_array(p, "args", "process", &c->n_args);
    if (c->n_args == 0)
        die_msg(STAGE, "process.args must not be empty");
    c->env = str_array(p, "env", "process", &c->n_env);
    c->cwd = opt_str(p, "cwd", "process");
    if (!c->cwd || c->cwd[0] != '/')
        die_msg(STAGE, "process.cwd must be an absolute path");
    json_t *caps = opt(p, "capabilities", JSON_OBJECT, "process");
    if (caps) {
        c->caps.present = true;
        c->caps.bounding = cap_set(caps, "bounding");
        c->caps.effective = cap_set(caps, "effective");
        c->caps.permitted = cap_set(caps, "permitted");
        c->caps.inheritable = cap_set(caps, "inheritable");
        c->caps.ambient = cap_set(caps, "ambient");
    }
    parse_rlimits(c, p);
    c->no_new_privs = opt_bool(p, "noNewPrivileges", "process");
    if (opt_int(p, "oomScoreAdj", "process", &v))
        c->has_oom_score_adj = true, c->oom_score_adj = (int)v;
    /* No LSM labels: this runtime applies neither AppArmor nor SELinux. */
    static const struct refusal process_unsupported[] = {
        { "apparmorProfile", "ctui-runtime applies no AppArmor profile" },
        { "selinuxLabel", "ctui-runtime applies no SELinux label" },
        { "scheduler", "no sched_setattr support" },
        { "ioPriority", "no ioprio_set support" },
        { "execCPUAffinity", "no CPU affinity support" },
    };
    REFUSE_ALL(p, "process", process_unsupported);
}

static void parse_mounts(struct config *c, json_t *root)
{
    json_t *a = opt(root, "mounts", JSON_ARRAY, "config");
    c->n_mounts = a ? json_array_size(a) : 0;
    c->mounts = xcalloc(c->n_mounts, sizeof(*c->mounts));
    for (size_t i = 0; i < c->n_mounts; i++) {
        json_t *m = json_array_get(a, i);
        struct mount_cfg *mc = &c->mounts[i];
        mc->dest = opt_str(m, "destination", "mounts[]");
        mc->type = opt_str(m, "type", "mounts[]");
        mc->source = opt_str(m, "source", "mounts[]");
        mc->options = str_array(m, "options", "mounts[]", &mc->n_options);
        if (!mc->dest || mc->dest[0] != '/')
            die_msg(STAGE, "mounts[%zu].destination must be an absolute path", i);
        if (!mc->type)
            mc->type = "none";
        refuse_set(m, "uidMappings", "mounts[]", "no idmapped mounts");
        refuse_set(m, "gidMappings", "mounts[]", "no idmapped mounts");
    }
}

static const struct { const char *name; int flag; } ns_names[] = {
    {"pid", CLONE_NEWPID}, {"network", CLONE_NEWNET}, {"mount", CLONE_NEWNS}, {"ipc", CLONE_NEWIPC},
    {"uts", CLONE_NEWUTS}, {"user", CLONE_NEWUSER}, {"cgroup", CLONE_NEWCGROUP},
};

static struct idmap_cfg *parse_idmaps(json_t *linux_, const char *key, size_t *n)
{
    json_t *a = opt(linux_, key, JSON_ARRAY, "linux");
    *n = a ? json_array_size(a) : 0;
    struct idmap_cfg *m = xcalloc(*n + 1, sizeof(*m));
    for (size_t i = 0; i < *n; i++) {
        json_t *e = json_array_get(a, i);
        int64_t in, out, size;
        if (!opt_int(e, "containerID", "linux.idMappings[]", &in) || !opt_int(e, "hostID", "linux.idMappings[]", &out) ||
            !opt_int(e, "size", "linux.idMappings[]", &size) || in < 0 || out < 0 || size <= 0 ||
            in > UINT32_MAX || out > UINT32_MAX || size > UINT32_MAX)
            die_msg(STAGE, "linux.%s[%zu] needs containerID, hostID and a size > 0", key, i);
        m[i] = (struct idmap_cfg){ (uint32_t)in, (uint32_t)out, (uint32_t)size };
    }
    return m;
}

static void parse_namespaces(struct config *c, json_t *linux_)
{
    json_t *a = opt(linux_, "namespaces", JSON_ARRAY, "linux");
    c->n_namespaces = a ? json_array_size(a) : 0;
    c->namespaces = xcalloc(c->n_namespaces, sizeof(*c->namespaces));
    for (size_t i = 0; i < c->n_namespaces; i++) {
        json_t *n = json_array_get(a, i);
        const char *type = opt_str(n, "type", "linux.namespaces[]");
        int flag = 0;
        for (size_t k = 0; type && k < sizeof(ns_names) / sizeof(ns_names[0]); k++)
            if (!strcmp(type, ns_names[k].name))
                flag = ns_names[k].flag;
        if (!flag)
            die_msg(STAGE, "linux.namespaces: unsupported namespace type %s", type ? type : "(none)");
        for (size_t k = 0; k < i; k++)
            if (c->namespaces[k].flag == flag)
                die_msg(STAGE, "linux.namespaces: %s listed twice", type);
        c->namespaces[i].flag = flag;
        c->namespaces[i].path = opt_str(n, "path", "linux.namespaces[]");
    }
    c->uid_maps = parse_idmaps(linux_, "uidMappings", &c->n_uid_maps);
    c->gid_maps = parse_idmaps(linux_, "gidMappings", &c->n_gid_maps);
    c->has_uid_mappings = c->n_uid_maps || c->n_gid_maps;
}

static void parse_devices(struct config *c, json_t *linux_)
{
    json_t *a = opt(linux_, "devices", JSON_ARRAY, "linux");
    c->n_devices = a ? json_array_size(a) : 0;
    c->devices = xcalloc(c->n_devices, sizeof(*c->devices));
    for (size_t i = 0; i < c->n_devices; i++) {
        json_t *d = json_array_get(a, i);
        struct device_cfg *dc = &c->devices[i];
        int64_t v;
        dc->path = opt_str(d, "path", "linux.devices[]");
        const char *t = opt_str(d, "type", "linux.devices[]");
        if (!dc->path || dc->path[0] != '/' || !t || strlen(t) != 1 || !strchr("cbup", t[0]))
            die_msg(STAGE, "linux.devices[%zu]: needs an absolute path and type c|b|u|p", i);
        dc->type = t[0];
        dc->major = opt_int(d, "major", "linux.devices[]", &v) ? v : 0;
        dc->minor = opt_int(d, "minor", "linux.devices[]", &v) ? v : 0;
        if (opt_int(d, "fileMode", "linux.devices[]", &v))
            dc->mode = (mode_t)v & 07777, dc->has_mode = true;
        dc->uid = opt_int(d, "uid", "linux.devices[]", &v) ? (uid_t)v : 0;
        dc->gid = opt_int(d, "gid", "linux.devices[]", &v) ? (gid_t)v : 0;
    }
}

void config_parse_resources(struct config *c, json_t *linux_)
{
    json_t *r = opt(linux_, "resources", JSON_OBJECT, "linux");
    struct resources_cfg *rc = &c->res;
    json_t *m = opt(r, "memory", JSON_OBJECT, "linux.resources");
    rc->has_mem_limit = opt_int(m, "limit", "linux.resources.memory", &rc->mem_limit);
    rc->has_mem_swap = opt_int(m, "swap", "linux.resources.memory", &rc->mem_swap);
    rc->has_mem_reservation = opt_int(m, "reservation", "linux.resources.memory", &rc->mem_reservation);
    rc->has_mem_kernel = opt_int(m, "kernel", "linux.resources.memory", &rc->mem_kernel);
    rc->has_mem_kernel_tcp = opt_int(m, "kernelTCP", "linux.resources.memory", &rc->mem_kernel_tcp);
    rc->has_swappiness = opt_u64(m, "swappiness", "linux.resources.memory", &rc->swappiness);
    /* runc's convention: -1 (a huge value as uint64) = "leave the kernel's default" */
    if (rc->has_swappiness && rc->swappiness > 100 && rc->swappiness != UINT64_MAX)
        die_msg(STAGE, "linux.resources.memory.swappiness %llu is out of range 0-100", (unsigned long long)rc->swappiness);
    if (rc->has_swappiness && rc->swappiness == UINT64_MAX)
        rc->has_swappiness = false;
    rc->disable_oom_killer = opt_bool(m, "disableOOMKiller", "linux.resources.memory");
    json_t *cpu = opt(r, "cpu", JSON_OBJECT, "linux.resources");
    rc->has_cpu_shares = opt_u64(cpu, "shares", "linux.resources.cpu", &rc->cpu_shares);
    rc->has_cpu_quota = opt_int(cpu, "quota", "linux.resources.cpu", &rc->cpu_quota);
    rc->has_cpu_period = opt_u64(cpu, "period", "linux.resources.cpu", &rc->cpu_period);
    rc->cpuset_cpus = opt_str(cpu, "cpus", "linux.resources.cpu");
    rc->cpuset_mems = opt_str(cpu, "mems", "linux.resources.cpu");
    static const struct refusal cpu_unsupported[] = {
        { "realtimeRuntime", "no real-time scheduling budgets" }, { "realtimePeriod", "no real-time scheduling budgets" },
        { "idle", "no cpu.idle support" }, { "burst", "no cpu burst support" },
    };
    static const struct refusal res_unsupported[] = {
        { "hugepageLimits", "no hugetlb controller support" }, { "network", "no net_cls/net_prio controller support" },
        { "rdma", "no rdma controller support" }, { "unified", "no raw cgroup v2 file support" },
    };
    REFUSE_ALL(cpu, "linux.resources.cpu", cpu_unsupported);
    REFUSE_ALL(r, "linux.resources", res_unsupported);
    json_t *pids = opt(r, "pids", JSON_OBJECT, "linux.resources");
    rc->has_pids_limit = opt_int(pids, "limit", "linux.resources.pids", &rc->pids_limit);
    json_t *blk = opt(r, "blockIO", JSON_OBJECT, "linux.resources");
    int64_t w;
    if (opt_int(blk, "weight", "linux.resources.blockIO", &w))
        rc->has_blkio_weight = true, rc->blkio_weight = (uint16_t)w;
    static const struct refusal blk_unsupported[] = {
        { "leafWeight", "only blockIO.weight is applied" }, { "weightDevice", "only blockIO.weight is applied" },
        { "throttleReadBpsDevice", "only blockIO.weight is applied" }, { "throttleWriteBpsDevice", "only blockIO.weight is applied" },
        { "throttleReadIOPSDevice", "only blockIO.weight is applied" }, { "throttleWriteIOPSDevice", "only blockIO.weight is applied" },
    };
    REFUSE_ALL(blk, "linux.resources.blockIO", blk_unsupported);
    json_t *a = opt(r, "devices", JSON_ARRAY, "linux.resources");
    rc->n_devrules = a ? json_array_size(a) : 0;
    rc->devrules = xcalloc(rc->n_devrules, sizeof(*rc->devrules));
    for (size_t i = 0; i < rc->n_devrules; i++) {
        json_t *d = json_array_get(a, i);
        struct devrule_cfg *dr = &rc->devrules[i];
        const char *t = opt_str(d, "type", "linux.resources.devices[]");
        dr->allow = opt_bool(d, "allow", "linux.resources.devices[]");
        dr->type = t && *t ? t[0] : 'a';
        if (!strchr("acb", dr->type))
            die_msg(STAGE, "linux.resources.devices[%zu]: bad type %s", i, t);
        if (!opt_int(d, "major", "linux.resources.devices[]", &dr->major)) dr->major = -1;
        if (!opt_int(d, "minor", "linux.resources.devices[]", &dr->minor)) dr->minor = -1;
        dr->access = opt_str(d, "access", "linux.resources.devices[]");
        if (!dr->access || !*dr->access)
            dr->access = "rwm";
        if (strspn(dr->access, "rwm") != strlen(dr->access))
            die_msg(STAGE, "linux.resources.devices[%zu]: bad access %s", i, dr->access);
    }
}

static void parse_linux(struct config *c, json_t *root, const char *id)
{
    json_t *l = opt(root, "linux", JSON_OBJECT, "config");
    parse_namespaces(c, l);
    parse_devices(c, l);
    config_parse_resources(c, l);
    c->cgroups_path = opt_str(l, "cgroupsPath", "linux");
    if (!c->cgroups_path || !*c->cgroups_path)
        c->cgroups_path = xasprintf("/ctui/%s", id);
    /* "/", "..", "/.." ... all clean to the hierarchy root: limits there are the host's,
     * and cleanup would SIGKILL every process of the host's root cgroup. */
    if (cgroups_path_is_root(c->cgroups_path))
        die_msg(STAGE, "linux.cgroupsPath %s is the cgroup root, refusing", c->cgroups_path);
    c->rootfs_propagation = opt_str(l, "rootfsPropagation", "linux");
    c->masked = str_array(l, "maskedPaths", "linux", &c->n_masked);
    c->readonly = str_array(l, "readonlyPaths", "linux", &c->n_readonly);
    json_t *s = opt(l, "sysctl", JSON_OBJECT, "linux");
    c->n_sysctls = s ? json_object_size(s) : 0;
    c->sysctls = xcalloc(c->n_sysctls, sizeof(*c->sysctls));
    const char *k; json_t *v; size_t i = 0;
    json_object_foreach(s, k, v) {
        if (!json_is_string(v))
            die_msg(STAGE, "linux.sysctl.%s is not a string", k);
        c->sysctls[i].key = k;
        c->sysctls[i++].value = json_string_value(v);
    }
    c->seccomp = opt(l, "seccomp", JSON_OBJECT, "linux");
    static const struct refusal linux_unsupported[] = {
        { "mountLabel", "ctui-runtime applies no SELinux mount label" }, { "intelRdt", "no resctrl support" },
        { "personality", "no personality(2) support" }, { "timeOffsets", "no time namespace support" },
        { "memoryPolicy", "no set_mempolicy support" }, { "netDevices", "no network device moves" },
    };
    REFUSE_ALL(l, "linux", linux_unsupported);
}

struct config *config_load(const char *bundle, const char *id)
{
    struct config *c = xcalloc(1, sizeof(*c));
    char *path = xasprintf("%s/config.json", bundle);
    json_error_t jerr;
    c->json = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!c->json) {
        errno = ENOENT;
        if (jerr.line < 0 || access(path, R_OK) < 0)
            die_errno(STAGE, "read %s", path);
        die_msg(STAGE, "%s:%d: %s", path, jerr.line, jerr.text);
    }
    free(path);
    json_t *root = c->json;
    if (!json_is_object(root))
        die_msg(STAGE, "config.json is not an object");
    const char *ver = opt_str(root, "ociVersion", "config");
    if (!ver || strncmp(ver, "1.", 2))
        die_msg(STAGE, "unsupported ociVersion %s", ver ? ver : "(none)");
    c->bundle = bundle;
    json_t *r = opt(root, "root", JSON_OBJECT, "config");
    const char *rp = opt_str(r, "path", "root");
    if (!rp)
        die_msg(STAGE, "root.path is required");
    char *joined = rp[0] == '/' ? xstrdup(rp) : xasprintf("%s/%s", bundle, rp);
    /* The rootfs path itself is the operator's (trusted) input; canonicalize it once so
     * later code only ever works with fds below this directory. */
    c->rootfs = realpath(joined, NULL);
    if (!c->rootfs)
        die_errno(STAGE, "rootfs %s", joined);
    free(joined);
    c->root_readonly = opt_bool(r, "readonly", "root");
    parse_process(c, root);
    c->hostname = opt_str(root, "hostname", "config");
    c->domainname = opt_str(root, "domainname", "config");
    parse_mounts(c, root);
    c->annotations = opt(root, "annotations", JSON_OBJECT, "config");
    c->hooks = opt(root, "hooks", JSON_OBJECT, "config");
    hooks_validate(c->hooks);
    parse_linux(c, root, id);
    /* A new user namespace needs both maps (written by the parent, see nsexec.c); maps
     * without one have nothing to apply to. Joining one by path takes its maps as they are. */
    if (config_has_new_ns(c, CLONE_NEWUSER) && (!c->n_uid_maps || !c->n_gid_maps))
        die_msg(STAGE, "a new user namespace needs linux.uidMappings and linux.gidMappings");
    if (c->has_uid_mappings && !config_has_new_ns(c, CLONE_NEWUSER))
        die_msg(STAGE, "linux.%s needs a new user namespace in linux.namespaces", c->n_uid_maps ? "uidMappings" : "gidMappings");
    /* No mount namespace: the container shares the host's mounts and is only chroot()ed
     * into its rootfs (runtime-spec: no namespace entry = the runtime's own). Mounting
     * anything would then change the HOST's mount table (and outlive the container), so
     * everything that needs a mount is refused here, naming the field. */
    if (!config_ns(c, CLONE_NEWNS)) {
        const char *need = c->n_mounts ? "mounts" : c->n_masked ? "linux.maskedPaths" :
                           c->n_readonly ? "linux.readonlyPaths" : c->root_readonly ? "root.readonly" :
                           c->rootfs_propagation ? "linux.rootfsPropagation" : c->n_devices ? "linux.devices" :
                           c->terminal ? "process.terminal" :
                           config_annotation(c, ANN_ROOTFS_LOWER) ? "annotations." ANN_ROOTFS_LOWER : NULL;
        if (need)
            die_msg(STAGE, "%s needs a mount namespace (linux.namespaces has no \"mount\"): it would mount into the host's", need);
    }
    return c;
}

const struct ns_cfg *config_ns(const struct config *c, int flag)
{
    for (size_t i = 0; i < c->n_namespaces; i++)
        if (c->namespaces[i].flag == flag)
            return &c->namespaces[i];
    return NULL;
}

bool config_has_new_ns(const struct config *c, int flag)
{
    const struct ns_cfg *n = config_ns(c, flag);
    return n && !n->path;
}

const char *config_getenv(const struct config *c, const char *name)
{
    size_t l = strlen(name);
    for (size_t i = 0; i < c->n_env; i++)
        if (!strncmp(c->env[i], name, l) && c->env[i][l] == '=')
            return c->env[i] + l + 1;
    return NULL;
}

const char *config_annotation(const struct config *c, const char *key)
{
    json_t *v = c->annotations ? json_object_get(c->annotations, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *config_load_process(struct config *c, const char *file)
{
    json_error_t jerr;
    json_t *p = json_load_file(file, JSON_REJECT_DUPLICATES, &jerr);
    if (!p) {
        if (jerr.line < 0 || access(file, R_OK) < 0)
            die_errno(STAGE, "read process file %s", file);
        die_msg(STAGE, "%s:%d: %s", file, jerr.line, jerr.text);
    }
    if (!json_is_object(p))
        die_msg(STAGE, "process file %s is not an object", file);
    /* The file replaces the container's process, except for what would make the exec'd
     * process LESS confined than the container (see SPEC.md "exec"): capabilities default
     * to the container's, noNewPrivileges is or'ed, rlimits default to the container's. */
    struct caps_cfg caps = c->caps;
    bool nnp = c->no_new_privs;
    struct rlimit_cfg *rl = c->rlimits;
    size_t n_rl = c->n_rlimits;
    c->terminal = false;
    c->uid = 0;
    c->gid = 0;
    c->has_umask = false;
    c->caps.present = false;
    json_t *wrap = json_object();   /* owns p; kept for the process lifetime (strings) */
    json_object_set_new(wrap, "process", p);
    parse_process(c, wrap);
    if (!c->caps.present)
        c->caps = caps;
    c->no_new_privs = c->no_new_privs || nnp;
    if (!json_object_get(p, "rlimits"))
        c->rlimits = rl, c->n_rlimits = n_rl;
    json_t *u = json_object_get(p, "ctuiUser");
    if (u && !json_is_string(u))
        die_msg(STAGE, "process.ctuiUser must be a string");
    return u ? json_string_value(u) : NULL;
}
