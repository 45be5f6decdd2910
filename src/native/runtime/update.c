/* update.c - `ctui-runtime update --resources FILE ID`, as `runc update -r FILE`: new limits for
 * a live container, written into the cgroup its create made. FILE ("-" = stdin) is an OCI
 * LinuxResources object (runc's format: memory.limit/swap/reservation, cpu.shares/quota/period/
 * cpus/mems, pids.limit, blockIO.weight); fields it leaves out keep their value. The device rules
 * are not touched (re-writing them would open a window with every device denied). */
#include "cgroups.h"
#include "cglimits.h"
#include "config.h"
#include "state.h"
#include "update.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STAGE "update"

static int64_t read_i64(const char *dir, const char *file)
{
    char buf[64];
    char *p = xasprintf("%s/%s", dir, file);
    ssize_t n = read_file_at(AT_FDCWD, p, buf, sizeof(buf));
    free(p);
    return n > 0 ? strtoll(buf, NULL, 10) : -1;
}

/* The kernel answers EBUSY when it cannot reclaim down to the new limit: say so as runc does
 * ("unable to set memory limit to N (current usage: U, peak usage: P)"), so the user knows the
 * container uses more than asked for. */
static void write_mem(const char *dir, const char *file, int64_t val)
{
    char v[32];
    snprintf(v, sizeof(v), "%" PRId64, val);
    char *p = xasprintf("%s/%s", dir, file);
    if (write_file(p, v) < 0) {
        if (errno == EBUSY)
            die_msg(STAGE, "unable to set memory limit to %" PRId64 " (current usage: %" PRId64 ", peak usage: %" PRId64 ")",
                    val, read_i64(dir, "memory.usage_in_bytes"), read_i64(dir, "memory.max_usage_in_bytes"));
        if (errno == ENOENT && strstr(file, "memsw"))
            die_msg(STAGE, "the kernel has no swap accounting (memory.memsw.*): cannot set a swap limit");
        die_errno(STAGE, "write %s to %s", v, p);
    }
    free(p);
}

/* v1 memory: memory.limit_in_bytes may never exceed memory.memsw.limit_in_bytes, so when both
 * grow the swap limit goes first, when they shrink the memory limit does (runc's order). */
static void v1_memory(const struct resources_cfg *r, const char *dir)
{
    if (r->has_mem_limit && r->has_mem_swap) {
        int64_t memsw = read_i64(dir, "memory.memsw.limit_in_bytes");
        bool swap_first = r->mem_swap < 0 || (memsw >= 0 && r->mem_limit > memsw);
        if (swap_first) write_mem(dir, "memory.memsw.limit_in_bytes", r->mem_swap);
        write_mem(dir, "memory.limit_in_bytes", r->mem_limit);
        if (!swap_first) write_mem(dir, "memory.memsw.limit_in_bytes", r->mem_swap);
    } else if (r->has_mem_limit) {
        write_mem(dir, "memory.limit_in_bytes", r->mem_limit);
    } else if (r->has_mem_swap) {
        write_mem(dir, "memory.memsw.limit_in_bytes", r->mem_swap);
    }
    if (r->has_mem_reservation)
        write_mem(dir, "memory.soft_limit_in_bytes", r->mem_reservation);
}

static json_t *read_resources(const char *file)
{
    json_error_t e;
    json_t *j = !strcmp(file, "-") ? json_loadf(stdin, 0, &e) : json_load_file(file, 0, &e);
    if (!j)
        die_msg(STAGE, "%s: %s", !strcmp(file, "-") ? "stdin" : file, e.text);
    if (!json_is_object(j))
        die_msg(STAGE, "%s: the resources must be a JSON object", file);
    return j;
}

static int cmd_update(const char *root, const char *id, const char *file)
{
    struct state *st = state_load(root, id);
    if (!st)
        die_msg("state", "container %s does not exist", id);
    enum status s = state_status(st);
    if (s == ST_STOPPED || s == ST_CREATING)
        die_msg(STAGE, "cannot update a container that is %s", status_name(s));
    if (!st->cgroups_path || !*st->cgroups_path || cgroups_path_is_root(st->cgroups_path))
        die_msg(STAGE, "container %s has no cgroup of its own", id);
    struct config c;
    memset(&c, 0, sizeof(c));
    json_t *linux_ = json_pack("{s:o}", "resources", read_resources(file));
    config_parse_resources(&c, linux_);
    enum cg_mode m = cgroups_mode();
    if (m == CG_V2) {
        char *dir = cgroups_host_dir(st->cgroups_path, NULL);
        cg_v2_apply(&c, dir);
        free(dir);
        return 0;
    }
    if (m != CG_V1)
        die_msg(STAGE, "no cgroup hierarchy is mounted on /sys/fs/cgroup");
    static const char *const ctrls[] = { "memory", "cpu", "pids", "cpuset", "blkio" };
    for (size_t i = 0; i < sizeof(ctrls) / sizeof(ctrls[0]); i++) {
        char *dir = cgroups_host_dir(st->cgroups_path, ctrls[i]);
        if (access(dir, F_OK) == 0) {
            if (!strcmp(ctrls[i], "memory")) v1_memory(&c.res, dir);
            else cg_v1_apply(&c, ctrls[i], dir);
        }
        free(dir);
    }
    return 0;
}

int update_main(int argc, char **argv, const char *root)
{
    const char *file = NULL, *id = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-r") || !strcmp(a, "--resources") || !strcmp(a, "-resources")) {
            if (i + 1 >= argc)
                die_msg("args", "%s needs a value", a);
            file = argv[++i];
        } else if (!strncmp(a, "--resources=", 12)) {
            file = a + 12;
        } else if (a[0] == '-' && a[1]) {
            die_msg("args", "update: unknown flag %s (only --resources FILE is supported)", a);
        } else if (!id) {
            id = a;
        } else {
            die_msg("args", "unexpected argument %s", a);
        }
    }
    if (!id || !file)
        die_msg("args", "usage: ctui-runtime update --resources FILE|- ID");
    return cmd_update(root, id, file);
}
