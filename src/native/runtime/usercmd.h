/* usercmd.h - `_user`: -u resolution inside a container's root for callers on the host. */
#ifndef CTUI_USERCMD_H
#define CTUI_USERCMD_H

int usercmd_main(int argc, char **argv);

#endif
