/* seccomp_enosys.h - syscalls newer than the profile answer ENOSYS (see seccomp_enosys.c). */
#ifndef CTUI_SECCOMP_ENOSYS_H
#define CTUI_SECCOMP_ENOSYS_H

#include <jansson.h>
#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

/* PROFILE: linux.seccomp; DEFAULT_ACTION: its compiled default (SCMP_ACT_*); ARCHES: the
 * profile's SCMP_ARCH_* tokens (none: the native arch). Returns PROG (N instructions) with
 * the stub in front (malloc'd, *OUT_N instructions), or NULL when no stub applies. */
struct sock_filter *seccomp_enosys_patch(json_t *profile, uint32_t default_action,
                                         const uint32_t *arches, size_t narches,
                                         const struct sock_filter *prog, size_t n, size_t *out_n);

#endif
