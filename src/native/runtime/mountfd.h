/* mountfd.h - mounts built detached and changed through their own fd (the new mount API). */
#ifndef CTUI_MOUNTFD_H
#define CTUI_MOUNTFD_H

#include <stdbool.h>

/* A detached copy of the mount tree at FD (only the top mount unless RECURSIVE): a bind
 * mount's source, reachable through the returned fd alone until mountfd_attach. */
int mountfd_clone(int fd, bool recursive);
/* A new instance of filesystem TYPE, detached: SOURCE and DATA ("k=v,flag,...") as fsconfig
 * parameters, superblock flags (ro, sync, dirsync) and per-mount flags (ro, nosuid, nodev,
 * noexec, atime) from the MS_* bits of MSFLAGS. Returns the mount's fd. */
int mountfd_new(const char *type, const char *source, unsigned long msflags, const char *data);
/* Add the per-mount flags among MSFLAGS (MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, atime)
 * to the mount MFD is the root of - that mount only; nothing is ever cleared. */
int mountfd_set_flags(int mfd, unsigned long msflags);
/* Propagation (MS_SHARED/MS_PRIVATE/MS_SLAVE/MS_UNBINDABLE; with MS_REC the whole tree). */
int mountfd_set_propagation(int mfd, unsigned long prop);
/* Attach the detached mount MFD onto what DIRFD names (PATH "" or NULL), or onto PATH
 * looked up from DIRFD. The mount stays reachable through MFD. */
int mountfd_attach(int mfd, int dirfd, const char *path);
/* One error line for a failed call above: "<what>: <strerror>", with the kernel's own
 * message for a refused filesystem option, or a clear refusal when the kernel lacks the API. */
void die_mount(const char *stage, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));

#endif
