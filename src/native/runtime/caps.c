/* caps.c - capability and identity switch, in the order runc's finalizeNamespace uses:
 *   PR_SET_KEEPCAPS -> drop bounding set -> setgroups/setgid/setuid -> clear KEEPCAPS
 *   -> capset(effective, permitted, inheritable) -> ambient raise.
 * Dropping the bounding set first (while we still have CAP_SETPCAP) guarantees that no
 * later execve of a setuid/file-cap binary can regain a capability the config withheld. */
#include "caps.h"
#include "util.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define STAGE "capabilities"

static const char *const cap_names[] = {
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
    "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
    "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
    "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
    "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};
#define N_CAP_NAMES ((int)(sizeof(cap_names) / sizeof(cap_names[0])))

int caps_from_name(const char *name)
{
    for (int i = 0; i < N_CAP_NAMES; i++)
        if (!strcasecmp(name, cap_names[i]))
            return i;
    return -1;
}

int caps_last_cap(void)
{
    static int last = -1;
    if (last < 0) {
        char buf[32];
        if (read_file_at(-100 /* AT_FDCWD */, "/proc/sys/kernel/cap_last_cap", buf, sizeof(buf)) > 0)
            last = atoi(buf);
        if (last <= 0 || last > 63)
            last = N_CAP_NAMES - 1;
    }
    return last;
}

static void drop_bounding(uint64_t keep)
{
    for (int cap = 0; cap <= caps_last_cap(); cap++) {
        if (keep & (1ULL << cap))
            continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
            die_errno(STAGE, "drop %s from the bounding set", cap < N_CAP_NAMES ? cap_names[cap] : "cap");
    }
}

static void set_user(const struct config *c)
{
    /* setgroups first: otherwise the host's supplementary groups of the runtime (root's)
     * would survive into the container process. */
    if (setgroups(c->n_add_gids, c->add_gids) < 0)
        die_errno("user", "setgroups");
    if (setresgid(c->gid, c->gid, c->gid) < 0)
        die_errno("user", "setgid %u", (unsigned)c->gid);
    if (setresuid(c->uid, c->uid, c->uid) < 0)
        die_errno("user", "setuid %u", (unsigned)c->uid);
}

static void capset_all(uint64_t eff, uint64_t perm, uint64_t inh)
{
    struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2] = {
        { .effective = (uint32_t)eff, .permitted = (uint32_t)perm, .inheritable = (uint32_t)inh },
        { .effective = (uint32_t)(eff >> 32), .permitted = (uint32_t)(perm >> 32),
          .inheritable = (uint32_t)(inh >> 32) },
    };
    if (syscall(SYS_capset, &hdr, data) < 0)
        die_errno(STAGE, "capset");
}

/* A container cannot get a capability the runtime itself does not hold (a sandbox that
 * runs us without CAP_SYS_RESOURCE, say): capset would fail with a bare EPERM. Say which
 * capability and which set instead. */
static void check_held(const struct config *c)
{
    struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct d[2];
    if (syscall(SYS_capget, &hdr, d) < 0)
        die_errno(STAGE, "capget");
    uint64_t held = d[0].permitted | ((uint64_t)d[1].permitted << 32);
    const struct { const char *name; uint64_t set; } sets[] = {
        { "permitted", c->caps.permitted }, { "effective", c->caps.effective },
        { "inheritable", c->caps.inheritable }, { "ambient", c->caps.ambient },
    };
    for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
        uint64_t missing = sets[i].set & ~held;
        for (int cap = 0; missing && cap < 64; cap++)
            if (missing & (1ULL << cap))
                die_msg(STAGE, "process.capabilities.%s: %s is not held by the runtime itself, so it cannot be given to the container",
                        sets[i].name, cap < N_CAP_NAMES ? cap_names[cap] : "?");
    }
}

void caps_apply_and_setuser(const struct config *c)
{
    /* No capabilities object = keep everything (runtime-spec semantics); only the user
     * switch applies. */
    if (!c->caps.present) {
        set_user(c);
        return;
    }
    /* KEEPCAPS: the permitted set survives the uid change so capset below can still
     * hand the configured caps to a non-root user; it is cleared again right after so
     * the exec'd program cannot rely on it. */
    check_held(c);
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
        die_errno(STAGE, "PR_SET_KEEPCAPS");
    drop_bounding(c->caps.bounding);
    set_user(c);
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
        die_errno(STAGE, "clear PR_SET_KEEPCAPS");
    capset_all(c->caps.effective, c->caps.permitted, c->caps.inheritable);
    /* Ambient caps survive execve of non-privileged binaries; the kernel only accepts
     * ones that are both permitted and inheritable, so clear first and raise those. */
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    for (int cap = 0; cap <= caps_last_cap(); cap++) {
        if (!(c->caps.ambient & (1ULL << cap)))
            continue;
        /* The kernel raises an ambient cap only when it is also permitted and inheritable.
         * `runc spec` itself emits ambient caps with an empty inheritable set and runc skips
         * them, so a refusal here would break every bundle made that way: skipped, as runc. */
        if (!(c->caps.permitted & c->caps.inheritable & (1ULL << cap))) {
            debug_msg("ambient %s skipped: not in permitted+inheritable", cap_names[cap]);
            continue;
        }
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
            die_errno(STAGE, "raise ambient %s", cap < N_CAP_NAMES ? cap_names[cap] : "cap");
    }
}
