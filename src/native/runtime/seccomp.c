/* seccomp.c - syscall filtering from the OCI profile (docker/podman's default profile
 * blocks e.g. unshare/mount/keyctl/bpf/kexec: the kernel attack surface a container
 * needs least). Built with libseccomp; the arch list lets us also block the x32/i386
 * syscall entry points, which would otherwise bypass an x86_64-only filter. */
#include "seccomp.h"
#include "seccomp_enosys.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct bpf_filter {
    struct sock_fprog prog;
    unsigned int flags;      /* SECCOMP_FILTER_FLAG_* */
};

#define STAGE "seccomp"

static uint32_t parse_action(const char *name, json_t *errno_ret, uint32_t default_errno)
{
    if (!name)
        die_msg(STAGE, "missing action");
    uint32_t e = default_errno;
    if (errno_ret && json_is_integer(errno_ret))
        e = (uint32_t)json_integer_value(errno_ret);
    if (!strcmp(name, "SCMP_ACT_ALLOW")) return SCMP_ACT_ALLOW;
    if (!strcmp(name, "SCMP_ACT_ERRNO")) return SCMP_ACT_ERRNO(e);
    if (!strcmp(name, "SCMP_ACT_KILL") || !strcmp(name, "SCMP_ACT_KILL_THREAD")) return SCMP_ACT_KILL_THREAD;
    if (!strcmp(name, "SCMP_ACT_KILL_PROCESS")) return SCMP_ACT_KILL_PROCESS;
    if (!strcmp(name, "SCMP_ACT_TRAP")) return SCMP_ACT_TRAP;
    if (!strcmp(name, "SCMP_ACT_LOG")) return SCMP_ACT_LOG;
    if (!strcmp(name, "SCMP_ACT_TRACE")) return SCMP_ACT_TRACE(e);
    /* NOTIFY needs a listener agent we do not have; refusing beats silently allowing. */
    die_msg(STAGE, "unsupported action %s", name);
}

static enum scmp_compare parse_op(const char *op)
{
    static const struct { const char *n; enum scmp_compare c; } ops[] = {
        {"SCMP_CMP_NE", SCMP_CMP_NE}, {"SCMP_CMP_LT", SCMP_CMP_LT}, {"SCMP_CMP_LE", SCMP_CMP_LE},
        {"SCMP_CMP_EQ", SCMP_CMP_EQ}, {"SCMP_CMP_GE", SCMP_CMP_GE}, {"SCMP_CMP_GT", SCMP_CMP_GT},
        {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
    };
    for (size_t i = 0; op && i < sizeof(ops) / sizeof(ops[0]); i++)
        if (!strcmp(op, ops[i].n))
            return ops[i].c;
    die_msg(STAGE, "unknown operator %s", op ? op : "(none)");
}

static uint32_t parse_arch(const char *a)
{
    static const struct { const char *n; uint32_t v; } arches[] = {
        {"SCMP_ARCH_X86", SCMP_ARCH_X86}, {"SCMP_ARCH_X86_64", SCMP_ARCH_X86_64},
        {"SCMP_ARCH_X32", SCMP_ARCH_X32}, {"SCMP_ARCH_ARM", SCMP_ARCH_ARM},
        {"SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64}, {"SCMP_ARCH_MIPS", SCMP_ARCH_MIPS},
        {"SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64}, {"SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32},
        {"SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL}, {"SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64},
        {"SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32}, {"SCMP_ARCH_PPC", SCMP_ARCH_PPC},
        {"SCMP_ARCH_PPC64", SCMP_ARCH_PPC64}, {"SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE},
        {"SCMP_ARCH_S390", SCMP_ARCH_S390}, {"SCMP_ARCH_S390X", SCMP_ARCH_S390X},
        {"SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64},
    };
    for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
        if (!strcmp(a, arches[i].n))
            return arches[i].v;
    return 0;
}

static size_t parse_args(json_t *args, struct scmp_arg_cmp *out, size_t cap, const char *sc)
{
    size_t n = json_is_array(args) ? json_array_size(args) : 0;
    if (n > cap)
        die_msg(STAGE, "%s: too many argument conditions", sc);
    for (size_t i = 0; i < n; i++) {
        json_t *a = json_array_get(args, i);
        json_t *idx = json_object_get(a, "index");
        if (!json_is_integer(idx) || json_integer_value(idx) < 0 || json_integer_value(idx) > 5)
            die_msg(STAGE, "%s: bad argument index", sc);
        json_t *v1 = json_object_get(a, "value"), *v2 = json_object_get(a, "valueTwo");
        out[i].arg = (unsigned)json_integer_value(idx);
        out[i].op = parse_op(json_string_value(json_object_get(a, "op")));
        out[i].datum_a = (scmp_datum_t)json_integer_value(v1);
        out[i].datum_b = (scmp_datum_t)(v2 ? json_integer_value(v2) : 0);
    }
    return n;
}

static void add_rule(scmp_filter_ctx ctx, uint32_t act, const char *name, struct scmp_arg_cmp *args, size_t n)
{
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) {
        /* Unknown on this arch / libseccomp version: skipping cannot widen access,
         * the default action still applies to the syscall if it exists. */
        debug_msg("seccomp: skipping unknown syscall %s", name);
        return;
    }
    /* Several conditions on the SAME argument cannot be AND-ed by libseccomp (it
     * refuses the rule: "Invalid argument"). Like runc, as soon as ANY index repeats we
     * add one rule per condition (runc's behaviour, relied upon by existing profiles). */
    bool repeated = false;
    for (size_t i = 0; i < n; i++)
        for (size_t k = i + 1; k < n; k++)
            if (args[i].arg == args[k].arg)
                repeated = true;
    int r;
    if (repeated) {
        for (size_t i = 0; i < n; i++)
            if ((r = seccomp_rule_add_array(ctx, act, nr, 1, &args[i])) < 0)
                goto fail;
        return;
    }
    if ((r = seccomp_rule_add_array(ctx, act, nr, (unsigned)n, args)) < 0)
        goto fail;
    return;
fail:
    errno = -r;
    die_errno(STAGE, "add rule for %s", name);
}

struct compiled { uint32_t def; uint32_t arches[32]; size_t narches; };

static scmp_filter_ctx compile_ctx(json_t *s, struct compiled *out)
{
    json_t *der = json_object_get(s, "defaultErrnoRet");
    uint32_t def = parse_action(json_string_value(json_object_get(s, "defaultAction")), der, EPERM);
    out->def = def;
    out->narches = 0;
    scmp_filter_ctx ctx = seccomp_init(def);
    if (!ctx)
        die_msg(STAGE, "seccomp_init failed");
    /* libseccomp sets NO_NEW_PRIVS on load by default; noNewPrivileges is the config's
     * decision, not a side effect of seccomp (we load while privileged when it is off). */
    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
    json_t *archs = json_object_get(s, "architectures"), *a;
    size_t i;
    json_array_foreach(archs, i, a) {
        uint32_t arch = json_is_string(a) ? parse_arch(json_string_value(a)) : 0;
        if (!arch)
            die_msg(STAGE, "unknown architecture %s", json_is_string(a) ? json_string_value(a) : "?");
        if (out->narches < 32)
            out->arches[out->narches++] = arch;
        int r = seccomp_arch_add(ctx, arch);
        if (r < 0 && r != -EEXIST) {
            errno = -r;
            die_errno(STAGE, "add architecture %s", json_string_value(a));
        }
    }
    json_t *flags = json_object_get(s, "flags"), *f;
    json_array_foreach(flags, i, f) {
        const char *fl = json_string_value(f);
        if (fl && strcmp(fl, "SECCOMP_FILTER_FLAG_LOG") && strcmp(fl, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") &&
            strcmp(fl, "SECCOMP_FILTER_FLAG_TSYNC"))
            die_msg(STAGE, "unsupported flag %s", fl);
        /* LOG/SPEC_ALLOW are applied at install (filter_flags); TSYNC is irrelevant:
         * the init is single-threaded. */
    }
    json_t *rules = json_object_get(s, "syscalls"), *rule;
    json_array_foreach(rules, i, rule) {
        /* A rule without errnoRet returns EPERM (runc), not the profile's defaultErrnoRet. */
        uint32_t act = parse_action(json_string_value(json_object_get(rule, "action")),
                                    json_object_get(rule, "errnoRet"), EPERM);
        if (act == def)
            continue; /* libseccomp rejects rules equal to the default; they are no-ops */
        struct scmp_arg_cmp args[6];
        size_t nargs = parse_args(json_object_get(rule, "args"), args, 6, "syscalls[]");
        json_t *names = json_object_get(rule, "names"), *nm;
        size_t k;
        json_array_foreach(names, k, nm)
            if (json_is_string(nm))
                add_rule(ctx, act, json_string_value(nm), args, nargs);
        json_t *one = json_object_get(rule, "name"); /* pre-1.0 spelling */
        if (json_is_string(one))
            add_rule(ctx, act, json_string_value(one), args, nargs);
    }
    return ctx;
}

static unsigned int filter_flags(json_t *s)
{
    unsigned int f = 0;
    json_t *flags = json_object_get(s, "flags"), *v;
    size_t i;
    json_array_foreach(flags, i, v) {
        const char *fl = json_string_value(v);
        if (fl && !strcmp(fl, "SECCOMP_FILTER_FLAG_LOG"))
            f |= SECCOMP_FILTER_FLAG_LOG;
        else if (fl && !strcmp(fl, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"))
            f |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
    }
    return f;
}

/* Cache file: "CTSC1\n" | u32 profile length | profile text | raw BPF instructions.
 * A hit requires the stored profile text to equal ours byte for byte, so a hash
 * collision can never hand us another profile's program. The cache dir is inside the
 * runtime's root-owned state dir. */
/* v2: rule semantics changed (split on any repeated index, EPERM default errnoRet):
 * programs compiled by older runtimes must not be reused. */
/* v3: the ENOSYS stub (seccomp_enosys.c) is part of the cached program. */
#define CACHE_MAGIC "CTSC3\n"

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static struct bpf_filter *cache_load(const char *path, const char *text, size_t tlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return NULL;
    struct stat sb;
    struct bpf_filter *f = NULL;
    char *buf = NULL;
    size_t hdr = strlen(CACHE_MAGIC) + 4 + tlen;
    if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_uid != geteuid() ||
        (size_t)sb.st_size <= hdr || ((size_t)sb.st_size - hdr) % sizeof(struct sock_filter))
        goto out;
    buf = xmalloc(sb.st_size);
    uint32_t len;
    if (read_all(fd, buf, sb.st_size) != sb.st_size || memcmp(buf, CACHE_MAGIC, strlen(CACHE_MAGIC)))
        goto out;
    memcpy(&len, buf + strlen(CACHE_MAGIC), 4);
    if (len != tlen || memcmp(buf + strlen(CACHE_MAGIC) + 4, text, tlen))
        goto out;
    size_t n = ((size_t)sb.st_size - hdr) / sizeof(struct sock_filter);
    if (n == 0 || n > BPF_MAXINSNS)
        goto out;
    f = xcalloc(1, sizeof(*f));
    f->prog.len = (unsigned short)n;
    f->prog.filter = xmalloc(n * sizeof(struct sock_filter));
    memcpy(f->prog.filter, buf + hdr, n * sizeof(struct sock_filter));
out:
    free(buf);
    close(fd);
    return f;
}

/* libseccomp's program, read back from seccomp_export_bpf (2.5 can only write it to an fd). */
static struct sock_filter *export_program(scmp_filter_ctx ctx, size_t *n)
{
    int fd = memfd_create("ctui-seccomp", MFD_CLOEXEC);
    if (fd < 0)
        die_errno(STAGE, "memfd for the filter");
    int r = seccomp_export_bpf(ctx, fd);
    if (r < 0) {
        errno = -r;
        die_errno(STAGE, "export filter");
    }
    off_t len = lseek(fd, 0, SEEK_END);
    if (len <= 0 || len % sizeof(struct sock_filter) || len > (off_t)(BPF_MAXINSNS * sizeof(struct sock_filter)))
        die_msg(STAGE, "exported filter has a bad size (%lld bytes)", (long long)len);
    struct sock_filter *prog = xmalloc(len);
    if (pread(fd, prog, len, 0) != len)
        die_errno(STAGE, "read exported filter");
    close(fd);
    *n = len / sizeof(struct sock_filter);
    return prog;
}

/* Compile with libseccomp, put the ENOSYS stub in front (seccomp_enosys.c) and write the
 * cache file (tmp + rename: readers never see a partial file). Returns the program read
 * back from what was written. */
static struct bpf_filter *compile_to_cache(json_t *s, const char *dir, const char *path,
                                           const char *text, size_t tlen)
{
    struct compiled cinfo;
    scmp_filter_ctx ctx = compile_ctx(s, &cinfo);
    size_t n, pn;
    struct sock_filter *prog = export_program(ctx, &n);
    seccomp_release(ctx);
    struct sock_filter *patched = seccomp_enosys_patch(s, cinfo.def, cinfo.arches, cinfo.narches, prog, n, &pn);
    if (patched) {
        free(prog);
        prog = patched;
        n = pn;
    }
    if (mkdir_p(dir, 0700) < 0)
        die_errno(STAGE, "create cache dir %s", dir);
    char *tmp = xasprintf("%s.%d.tmp", path, (int)getpid());
    int fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        die_errno(STAGE, "create %s", tmp);
    uint32_t len = (uint32_t)tlen;
    if (write_all(fd, CACHE_MAGIC, strlen(CACHE_MAGIC)) < 0 || write_all(fd, &len, 4) < 0 ||
        write_all(fd, text, tlen) < 0 || write_all(fd, prog, n * sizeof(*prog)) < 0)
        die_errno(STAGE, "write %s", tmp);
    close(fd);
    free(prog);
    if (rename(tmp, path) < 0)
        die_errno(STAGE, "rename %s", tmp);
    free(tmp);
    struct bpf_filter *f = cache_load(path, text, tlen);
    if (!f)
        die_msg(STAGE, "compiled filter %s is unreadable", path);
    return f;
}

void *seccomp_build(const struct config *c, const char *cache_dir)
{
    json_t *s = c->seccomp;
    if (!s)
        return NULL;
    char *text = json_dumps(s, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text)
        die_msg(STAGE, "cannot encode linux.seccomp");
    size_t tlen = strlen(text);
    char *dir = xasprintf("%s/.seccomp-cache", cache_dir ? cache_dir : "/run/ctui-runtime");
    char *path = xasprintf("%s/%016llx-%d.bpf", dir, (unsigned long long)fnv1a(text, tlen), SCMP_VER_MAJOR * 100 + SCMP_VER_MINOR);
    struct bpf_filter *f = cache_load(path, text, tlen);
    if (!f)
        f = compile_to_cache(s, dir, path, text, tlen);
    f->flags = filter_flags(s);
    free(path);
    free(dir);
    free(text);
    return f;
}

void seccomp_install(void *filter)
{
    struct bpf_filter *f = filter;
    if (!f)
        return;
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, f->flags, &f->prog) < 0)
        die_errno(STAGE, "load filter");
}
