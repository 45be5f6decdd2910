/* config.h - the subset of the OCI runtime-spec config.json (1.0.x) we implement, as plain structs. */
#ifndef CTUI_CONFIG_H
#define CTUI_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>

struct rlimit_cfg { int resource; const char *name; uint64_t soft, hard; };

struct mount_cfg {
    const char *dest, *type, *source;
    const char **options; size_t n_options;
};

struct ns_cfg { int flag; const char *path; /* NULL: create a new one */ };

struct idmap_cfg { uint32_t inside, outside, size; }; /* containerID hostID size */

struct device_cfg {
    const char *path; char type; /* 'c', 'b', 'u', 'p' */
    int64_t major, minor; mode_t mode; bool has_mode;
    uid_t uid; gid_t gid;
};

struct devrule_cfg { bool allow; char type; int64_t major, minor; /* -1 = '*' */ const char *access; };

struct sysctl_cfg { const char *key, *value; };

struct caps_cfg {
    bool present;                 /* process.capabilities given at all */
    uint64_t bounding, effective, permitted, inheritable, ambient;
};

struct resources_cfg {
    bool has_mem_limit, has_mem_swap, has_mem_reservation, has_mem_kernel, has_mem_kernel_tcp;
    int64_t mem_limit, mem_swap, mem_reservation, mem_kernel, mem_kernel_tcp;
    bool has_swappiness; uint64_t swappiness;
    bool disable_oom_killer;
    bool has_cpu_shares, has_cpu_quota, has_cpu_period;
    uint64_t cpu_shares, cpu_period; int64_t cpu_quota;
    const char *cpuset_cpus, *cpuset_mems;
    bool has_pids_limit; int64_t pids_limit;
    bool has_blkio_weight; uint16_t blkio_weight;
    struct devrule_cfg *devrules; size_t n_devrules;
};

struct config {
    json_t *json;                 /* owns every string below */
    const char *bundle;           /* absolute */
    char *rootfs;                 /* absolute host path of root.path */
    bool root_readonly;

    /* process */
    bool terminal;
    unsigned short console_rows, console_cols; /* process.consoleSize (0: not given) */
    uid_t uid; gid_t gid;
    gid_t *add_gids; size_t n_add_gids;
    bool has_umask; mode_t umask;
    const char **args; size_t n_args;
    const char **env; size_t n_env;
    const char *cwd;
    struct caps_cfg caps;
    struct rlimit_cfg *rlimits; size_t n_rlimits;
    bool no_new_privs;
    bool has_oom_score_adj; int oom_score_adj;

    const char *hostname, *domainname;
    struct mount_cfg *mounts; size_t n_mounts;
    json_t *annotations;          /* object or NULL */

    /* linux */
    struct ns_cfg *namespaces; size_t n_namespaces;
    bool has_uid_mappings;
    struct idmap_cfg *uid_maps, *gid_maps; size_t n_uid_maps, n_gid_maps;
    struct device_cfg *devices; size_t n_devices;
    const char *cgroups_path;     /* always set (default "/ctui/<id>") */
    struct resources_cfg res;
    const char *rootfs_propagation;
    const char **masked; size_t n_masked;
    const char **readonly; size_t n_readonly;
    struct sysctl_cfg *sysctls; size_t n_sysctls;
    json_t *seccomp;              /* linux.seccomp object or NULL (parsed by seccomp.c) */
    json_t *hooks;                /* hooks object or NULL (validated and run by hooks.c) */
};

/* linux.resources of LINUX_ (an object holding "resources") into c->res; `update` reuses it. */
void config_parse_resources(struct config *c, json_t *linux_);
/* Loads BUNDLE/config.json; dies with a one-line error on anything malformed. */
struct config *config_load(const char *bundle, const char *id);
/* exec --process FILE: replace c's process fields with the OCI process object in FILE.
 * Returns its "ctuiUser" extension (docker's -u spec, resolved in the container) or NULL. */
const char *config_load_process(struct config *c, const char *file);
/* Namespace helpers. */
bool config_has_new_ns(const struct config *c, int flag);
const struct ns_cfg *config_ns(const struct config *c, int flag);
/* Value of NAME in process.env, or NULL. */
const char *config_getenv(const struct config *c, const char *name);
/* A string annotation, or NULL. */
const char *config_annotation(const struct config *c, const char *key);

/* ctui's own annotations (other runtimes ignore them; ctui writes the standard fields
 * for those, see src/core/containers/bundle.ts):
 *  io.ctui.rootfs.lower/.upper/.work/.cwd - mount the overlay rootfs on root.path inside
 *      the container's own mount namespace, so it disappears with the container: no
 *      host-side mount to leak when a caller dies, and no extra process per start.
 *  io.ctui.user - docker's -u value, resolved in the container's /etc/passwd after
 *      pivot_root (process.user then holds only what the caller could resolve). */
#define ANN_ROOTFS_LOWER "io.ctui.rootfs.lower"
#define ANN_ROOTFS_UPPER "io.ctui.rootfs.upper"
#define ANN_ROOTFS_WORK  "io.ctui.rootfs.work"
#define ANN_ROOTFS_CWD   "io.ctui.rootfs.cwd"
#define ANN_USER         "io.ctui.user"

#endif
