/* mounts.h - the container's filesystem view. Runs in the init, in its new mount ns. */
#ifndef CTUI_MOUNTS_H
#define CTUI_MOUNTS_H

#include "config.h"

/* Make mounts private, bind the rootfs onto itself, perform config.mounts, populate
 * /dev, create process.cwd. Returns an O_PATH fd of the new root. */
int mounts_prepare_rootfs(const struct config *c);
/* pivot_root into ROOTFD and detach the old root. */
void mounts_pivot_root(int rootfd);
/* After pivot (masks.c): readonlyPaths, maskedPaths, root.readonly. */
void mounts_finalize(const struct config *c);
/* mount(2) onto the target an O_PATH fd names (through /proc/self/fd), dying with one line
 * that names `what` on failure: every mount of the container goes through here. */
void mount_on_fd(const char *src, int fd, const char *type, unsigned long flags, const char *data,
                 const char *what);
/* Flags a bind remount of TARGET must keep (the kernel refuses to clear them). */
unsigned long locked_flags(const char *target);
/* Remount the mount at DEST (resolved in ROOTFD) with FLAGS, keeping its locked flags. */
void remount_bind(int rootfd, const char *dest, unsigned long flags, const char *what);
/* After pivot (masks.c): bind the pty slave over /dev/console. */
void mounts_bind_console(int slave_fd);

#endif
