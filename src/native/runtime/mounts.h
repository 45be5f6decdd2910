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
/* After pivot (masks.c): bind the pty slave over /dev/console. */
void mounts_bind_console(int slave_fd);

#endif
