/* overlay.c - the overlayfs mount of a container's rootfs. */
#include "overlay.h"
#include "mountfd.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

int overlay_mount(const char *cwd, const char *lower, const char *upper, const char *work, const char *target)
{
    /* Relative layer names (l/<short>) keep the option string under the one-page mount
     * data limit even for deep images (the containers/storage trick): chdir first. */
    if (cwd && chdir(cwd) < 0)
        return -1;
    char *opts = upper ? xasprintf("lowerdir=%s,upperdir=%s,workdir=%s", lower, upper, work)
                       : xasprintf("lowerdir=%s", lower);
    if (strlen(opts) >= 4096) {
        free(opts);
        errno = E2BIG;
        return -1;
    }
    unsigned long fl = upper ? 0 : MS_RDONLY;
    int r = mount("overlay", target, "overlay", fl, opts);
    free(opts);
    if (r == 0)
        return 0;
    /* A single read-only lower: older kernels want >= 2 lowers without an upper; a
     * read-only bind of the one layer is equivalent. */
    if (!upper && !strchr(lower, ':') && errno == EINVAL) {
        /* Made read-only while detached (see mountfd.c): no remount of TARGET by path. */
        int src = open(lower, O_PATH | O_DIRECTORY | O_CLOEXEC);
        int m = src < 0 ? -1 : mountfd_clone(src, false);
        r = m < 0 || mountfd_set_flags(m, MS_RDONLY) < 0 || mountfd_attach(m, AT_FDCWD, target) < 0 ? -1 : 0;
        int e = errno;
        if (m >= 0)
            close(m);
        if (src >= 0)
            close(src);
        errno = e;
    }
    return r;
}
