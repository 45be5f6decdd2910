/* cgfile.c - one write to one cgroup file: the lowest layer of the cgroup code, below both
 * cgroups.c (hierarchies, create/join/destroy) and cglimits.c (the limits), so neither
 * depends on the other for it (crun keeps the same split: cgroup-internal.h's helpers
 * under its per-version drivers). */
#include "cgfile.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>

#define STAGE "cgroups"

void cg_write(const char *dir, const char *file, const char *val, bool optional)
{
    char *p = xasprintf("%s/%s", dir, file);
    if (write_file(p, val) < 0 && !(optional && errno == ENOENT))
        die_errno(STAGE, "write %s to %s", val, p);
    free(p);
}
