/* cglimits.h - resource limits into cgroup files (internal to the cgroups module). */
#ifndef CTUI_CGLIMITS_H
#define CTUI_CGLIMITS_H

#include <stdbool.h>
#include "config.h"

/* v1: limits of one controller's cgroup DIR. */
void cg_v1_apply(const struct config *c, const char *ctrl, const char *dir);
/* v2: creates LEAF level by level, enabling controllers in each parent; true if it made LEAF. */
bool cg_v2_create_levels(const char *leaf);
/* v2: limits and the device filter of DIR. */
void cg_v2_apply(const struct config *c, const char *dir);

#endif
