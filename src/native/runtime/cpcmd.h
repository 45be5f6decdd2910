/* cpcmd.h - `_cp`: docker cp's container side (stat, get a tar, put records) inside the container's root. */
#ifndef CTUI_CPCMD_H
#define CTUI_CPCMD_H

/* A put record: PUT_FIELDS NUL-terminated fields, then SIZE bytes of payload for a regular file:
 *   type (f d l h c b p), path (relative to the destination), mode (octal), uid, gid, mtime (seconds),
 *   link target (symlink) or earlier entry (hard link), device major, device minor, size.
 * Written by src/core/containers/copy.ts from an archive it has already checked. */
#define PUT_FIELDS 10

int cpcmd_main(int argc, char **argv);

#endif
