/* cgfile.h - writing a cgroup file (see cgfile.c). */
#ifndef CTUI_CGFILE_H
#define CTUI_CGFILE_H

#include <stdbool.h>

/* Writes VAL to DIR/FILE; dies with one line unless OPTIONAL and the file does not exist. */
void cg_write(const char *dir, const char *file, const char *val, bool optional);

#endif
