/* userdb.h - /etc/passwd and /etc/group of the container, read after pivot_root. */
#ifndef CTUI_USERDB_H
#define CTUI_USERDB_H

#include "config.h"

/* HOME for uid from the container's /etc/passwd ("/" when it has no entry). Caller frees. */
char *userdb_home_for_uid(uid_t uid);

struct userdb_user {
    uid_t uid; gid_t gid;
    gid_t *gids; size_t n_gids;   /* supplementary: groups naming the user (no explicit group) */
    char *home;                   /* "/root" or "/" without an entry */
    char *shell;                  /* NULL without one */
};

/* docker's `-u name|uid[:group|gid]` against /etc/passwd and /etc/group as this process sees them
 * (after pivot_root, a mount-namespace join or a chroot into the container's root). false with
 * docker's message in err when a name is unknown. Caller frees gids, home, shell. */
bool userdb_lookup(const char *spec, struct userdb_user *u, char *err, size_t errlen);

/* Resolves docker's `-u name|uid[:group|gid]` against the container's own files and sets
 * c->uid, c->gid and c->add_gids. Dies with docker's message when a name is unknown. */
void userdb_resolve(struct config *c, const char *spec);

#endif
