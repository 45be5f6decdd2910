/* seccomp_enosys.c - the -ENOSYS stub in front of a libseccomp program (runc's patchbpf idea).
 *
 * An allowlist profile denies every syscall it does not name with its default action,
 * usually EPERM. For a syscall the profile's author had never heard of (one newer than
 * the profile) that is the wrong answer: programs - glibc, Go, the runtime's own steps -
 * fall back to an older syscall only on ENOSYS ("the kernel does not have it"); on
 * EPERM they fail for good (openat2, clone3, faccessat2, close_range, statx...). So,
 * like runc, a syscall numbered above the profile's highest known one on its
 * architecture gets ENOSYS; every syscall at or below it keeps the profile's verdict.
 *
 * Why this cannot widen access: the stub only ever returns ENOSYS (a denial) or falls
 * through to the unchanged libseccomp program; it never allows anything. It is added
 * only when the default action is itself a denial (not ALLOW/LOG/TRACE, where programs
 * must see the real syscall) and not already ENOSYS. x32 syscalls share x86_64's audit
 * arch and carry bit 30 in the number: they are compared with the x32 maximum when the
 * profile lists x32, and otherwise go straight to the filter (its bad-arch action).
 * Architectures the stub does not know go to the filter too. */
#include "seccomp_enosys.h"
#include "util.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define X32_BIT 0x40000000u

struct archmax { uint32_t audit; uint32_t max64, max32; /* 0 = none */ };

/* The largest number any rule's name resolves to on ARCH (0: none known there). */
static uint32_t max_syscall(json_t *rules, uint32_t arch)
{
    uint32_t best = 0;
    json_t *rule, *nm;
    size_t i, k;
    json_array_foreach(rules, i, rule) {
        json_t *names = json_object_get(rule, "names");
        json_array_foreach(names, k, nm) {
            int nr = json_is_string(nm) ? seccomp_syscall_resolve_name_arch(arch, json_string_value(nm)) : -1;
            /* negative: unknown here, or libseccomp's pseudo-syscall (multiplexed) numbers */
            if (nr > 0 && (uint32_t)nr > best)
                best = (uint32_t)nr;
        }
        json_t *one = json_object_get(rule, "name");
        int nr = json_is_string(one) ? seccomp_syscall_resolve_name_arch(arch, json_string_value(one)) : -1;
        if (nr > 0 && (uint32_t)nr > best)
            best = (uint32_t)nr;
    }
    return best;
}

struct prog { struct sock_filter *insn; size_t n, cap; };

static size_t emit(struct prog *p, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->insn = realloc(p->insn, p->cap * sizeof(*p->insn));
        if (!p->insn)
            die_msg("seccomp", "out of memory");
    }
    p->insn[p->n] = (struct sock_filter){ code, jt, jf, k };
    return p->n++;
}

/* Forward jumps to a label that is placed later: the k of `ja` is patched then. */
#define MAX_FIXUPS 64
struct fixups { size_t at[MAX_FIXUPS]; size_t n; };

static void ja_to(struct prog *p, struct fixups *f)
{
    if (f->n == MAX_FIXUPS)
        die_msg("seccomp", "too many architectures in the profile");
    f->at[f->n++] = emit(p, BPF_JMP | BPF_JA, 0, 0, 0);
}

static void place(struct prog *p, struct fixups *f)
{
    for (size_t i = 0; i < f->n; i++)
        p->insn[f->at[i]].k = (uint32_t)(p->n - f->at[i] - 1);
    f->n = 0;
}

struct sock_filter *seccomp_enosys_patch(json_t *profile, uint32_t default_action,
                                         const uint32_t *arches, size_t narches,
                                         const struct sock_filter *prog, size_t n, size_t *out_n)
{
    *out_n = n;
    uint32_t kind = default_action & SECCOMP_RET_ACTION_FULL;
    if (kind == SECCOMP_RET_ALLOW || kind == SECCOMP_RET_LOG || kind == SECCOMP_RET_TRACE ||
        default_action == (SECCOMP_RET_ERRNO | ENOSYS))
        return NULL;
    json_t *rules = json_object_get(profile, "syscalls");
    struct archmax am[32];
    size_t nam = 0;
    uint32_t native = seccomp_arch_native();
    /* no list: libseccomp filters the native arch only */
    for (size_t i = 0; i < (narches ? narches : 1) && nam < 32; i++) {
        uint32_t tok = narches ? arches[i] : native;
        bool x32 = tok == SCMP_ARCH_X32;
        uint32_t audit = x32 ? AUDIT_ARCH_X86_64 : tok; /* SCMP_ARCH_* are AUDIT_ARCH_* but for x32 */
        uint32_t max = max_syscall(rules, tok);
        if (!max)
            continue;
        size_t j = 0;
        while (j < nam && am[j].audit != audit)
            j++;
        if (j == nam)
            am[nam++] = (struct archmax){ .audit = audit };
        if (x32)
            am[j].max32 = max;
        else
            am[j].max64 = max;
    }
    if (!nam)
        return NULL;

    struct prog p = { 0 };
    struct fixups to_enosys = { .n = 0 }, to_filter = { .n = 0 }, to_section[32];
    emit(&p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, arch));
    for (size_t i = 0; i < nam; i++) {
        to_section[i].n = 0;
        emit(&p, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, am[i].audit);
        ja_to(&p, &to_section[i]);
    }
    ja_to(&p, &to_filter); /* an arch we have no maximum for: the filter decides */
    for (size_t i = 0; i < nam; i++) {
        place(&p, &to_section[i]);
        emit(&p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr));
        struct fixups to_x32 = { .n = 0 };
        bool x86 = am[i].audit == AUDIT_ARCH_X86_64;
        if (x86) {
            /* bit 30 set: an x32 syscall; compare it with the x32 maximum, if any */
            emit(&p, BPF_JMP | BPF_JSET | BPF_K, 0, 1, X32_BIT);
            if (am[i].max32)
                ja_to(&p, &to_x32);
            else
                ja_to(&p, &to_filter);
        }
        if (am[i].max64 || !x86) {
            emit(&p, BPF_JMP | BPF_JGT | BPF_K, 0, 1, am[i].max64);
            ja_to(&p, &to_enosys);
        }
        ja_to(&p, &to_filter);
        if (x86 && am[i].max32) {
            place(&p, &to_x32);
            emit(&p, BPF_JMP | BPF_JGT | BPF_K, 0, 1, am[i].max32);
            ja_to(&p, &to_enosys);
            ja_to(&p, &to_filter);
        }
    }
    place(&p, &to_enosys);
    emit(&p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | ENOSYS);
    place(&p, &to_filter);
    if (p.n + n > BPF_MAXINSNS)
        die_msg("seccomp", "filter too long with the ENOSYS stub (%zu instructions)", p.n + n);
    for (size_t i = 0; i < n; i++)
        emit(&p, prog[i].code, prog[i].jt, prog[i].jf, prog[i].k);
    *out_n = p.n;
    return p.insn;
}
