/* update.h - `update --resources FILE ID`: new cgroup limits for a live container. */
#ifndef CTUI_UPDATE_H
#define CTUI_UPDATE_H

int update_main(int argc, char **argv, const char *root);

#endif
