/* userdb.c - user and group lookup inside the container.
 *
 * Names given with -u are resolved here, by the container's init after pivot_root, from
 * the container's own /etc/passwd and /etc/group. Reading them from the host instead
 * (as the bundle writer would have to) means following the image's symlinks on the
 * host: a hostile image with /etc/passwd -> /etc/shadow would then read the host's file.
 * After pivot_root the host's files are simply not there. It also spares the caller a
 * host-side mount of the rootfs just to read two small files. */
#include "userdb.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct entry { char *f[7]; int n; };

/* Splits a passwd/group line into fields (in place). */
static void split(char *line, struct entry *e)
{
    e->n = 0;
    line[strcspn(line, "\n")] = 0;
    for (char *tok, *p = line; e->n < 7 && (tok = strsep(&p, ":")); )
        e->f[e->n++] = tok;
}

static bool numeric(const char *s, unsigned long *out)
{
    /* Digits only: strtoul would also take " 5" and "+5" as uid 5. */
    if (!*s)
        return false;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || errno || v > 0xfffffffeUL)
        return false;
    *out = v;
    return true;
}

/* The image's /etc/passwd and /etc/group are untrusted: a symlink to /dev/zero would
 * make an unbounded reader eat all memory, a FIFO would block the init forever, a
 * procfs file could block too. So: O_NONBLOCK open (a FIFO opens at once), it must be
 * a regular file, at most DB_MAX bytes are read (EAGAIN ends it), lines longer than
 * LINE_MAX_LEN are skipped. Anything else reads as "no entries". */
#define DB_MAX (1 << 20)
#define LINE_MAX_LEN 4096

static char *read_db(const char *file)
{
    int fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return NULL;
    struct stat sb;
    char *buf = NULL;
    if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size > DB_MAX)
        goto out;
    buf = xmalloc(DB_MAX + 1);
    size_t n = 0;
    for (;;) {
        ssize_t k = read(fd, buf + n, DB_MAX + 1 - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) { /* EAGAIN (a procfs file that would block) or an error */
            free(buf);
            buf = NULL;
            goto out;
        }
        if (k == 0)
            break;
        n += (size_t)k;
        if (n > DB_MAX) { /* grew past the cap while we read */
            free(buf);
            buf = NULL;
            goto out;
        }
    }
    buf[n] = 0;
out:
    close(fd);
    return buf;
}

/* Calls fn for each well-formed line of file (with at least min fields); stops when fn returns true. */
static void each_line(const char *file, int min, bool (*fn)(struct entry *, void *), void *arg)
{
    char *data = read_db(file);
    if (!data)
        return;
    for (char *line = data, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        if (line[0] == '#' || strlen(line) > LINE_MAX_LEN)
            continue; /* comment or overlong line (a NUL byte simply ends the file) */
        struct entry e;
        split(line, &e);
        if (e.n >= min && fn(&e, arg))
            break;
    }
    free(data);
}

struct pw_query { const char *name; bool by_uid; unsigned long uid; bool found; unsigned long ruid, rgid; char *home, *pname, *shell; };

static bool pw_match(struct entry *e, void *arg)
{
    struct pw_query *q = arg;
    unsigned long uid, gid;
    if (!numeric(e->f[2], &uid) || !numeric(e->f[3], &gid))
        return false;
    if (q->by_uid ? uid != q->uid : strcmp(e->f[0], q->name) != 0)
        return false;
    q->found = true;
    q->ruid = uid;
    q->rgid = gid;
    q->home = xstrdup(e->n >= 6 && e->f[5][0] ? e->f[5] : "/");
    q->pname = xstrdup(e->f[0]);
    q->shell = e->n >= 7 && e->f[6][0] ? xstrdup(e->f[6]) : NULL;
    return true;
}

char *userdb_home_for_uid(uid_t uid)
{
    struct pw_query q = { .by_uid = true, .uid = uid };
    each_line("/etc/passwd", 6, pw_match, &q);
    free(q.pname);
    free(q.shell);
    return q.home ? q.home : xstrdup(uid == 0 ? "/root" : "/");
}

struct gr_query { const char *name; bool found; unsigned long gid; const char *member; gid_t *gids; size_t n; };

static bool gr_by_name(struct entry *e, void *arg)
{
    struct gr_query *q = arg;
    unsigned long gid;
    if (strcmp(e->f[0], q->name) || !numeric(e->f[2], &gid))
        return false;
    q->found = true;
    q->gid = gid;
    return true;
}

/* Supplementary groups: every group whose member list names the user. */
static bool gr_member(struct entry *e, void *arg)
{
    struct gr_query *q = arg;
    unsigned long gid;
    if (!numeric(e->f[2], &gid))
        return false;
    char *p = e->f[3];
    for (char *m; (m = strsep(&p, ",")); )
        if (!strcmp(m, q->member)) {
            q->gids = xrealloc(q->gids, (q->n + 1) * sizeof(gid_t));
            q->gids[q->n++] = (gid_t)gid;
            break;
        }
    return false;
}

bool userdb_lookup(const char *spec, struct userdb_user *u, char *err, size_t errlen)
{
    memset(u, 0, sizeof(*u));
    char *copy = xstrdup(spec);
    char *group = strchr(copy, ':');
    if (group)
        *group++ = 0;
    const char *user = copy;
    unsigned long num;
    bool ok = false;
    struct pw_query q = { .name = user };
    if (!*user) {
        q.by_uid = true;
        q.uid = 0;
    } else if (numeric(user, &num)) {
        q.by_uid = true;
        q.uid = num;
    }
    each_line("/etc/passwd", 4, pw_match, &q);
    if (q.found) {
        u->uid = (uid_t)q.ruid;
        u->gid = (gid_t)q.rgid;
    } else if (q.by_uid) {
        u->uid = (uid_t)q.uid;
        u->gid = 0;
    } else {
        snprintf(err, errlen, "unable to find user %s: no matching entries in passwd file", user);
        goto out;
    }
    if (group && *group) {
        if (numeric(group, &num)) {
            u->gid = (gid_t)num;
        } else {
            struct gr_query g = { .name = group };
            each_line("/etc/group", 3, gr_by_name, &g);
            if (!g.found) {
                snprintf(err, errlen, "unable to find group %s: no matching entries in group file", group);
                goto out;
            }
            u->gid = (gid_t)g.gid;
        }
    } else if (q.found) {
        struct gr_query g = { .member = q.pname };
        each_line("/etc/group", 4, gr_member, &g);
        u->gids = xcalloc(g.n + 1, sizeof(gid_t));
        for (size_t i = 0; i < g.n; i++)
            if (g.gids[i] != u->gid)
                u->gids[u->n_gids++] = g.gids[i];
        free(g.gids);
    }
    u->home = q.home ? q.home : xstrdup(u->uid == 0 ? "/root" : "/");
    u->shell = q.shell;
    q.home = q.shell = NULL;
    ok = true;
out:
    free(q.home);
    free(q.shell);
    free(q.pname);
    free(copy);
    return ok;
}

void userdb_resolve(struct config *c, const char *spec)
{
    struct userdb_user u;
    char err[600];
    if (!userdb_lookup(spec, &u, err, sizeof(err)))
        die_msg("user", "%s", err);
    c->uid = u.uid;
    c->gid = u.gid;
    /* The config's own additionalGids come first; the user's memberships are added. */
    size_t n = c->n_add_gids;
    gid_t *all = xcalloc(n + u.n_gids + 1, sizeof(gid_t));
    memcpy(all, c->add_gids, n * sizeof(gid_t));
    for (size_t i = 0; i < u.n_gids; i++)
        all[n++] = u.gids[i];
    c->add_gids = all;
    c->n_add_gids = n;
    free(u.gids);
    free(u.home);
    free(u.shell);
}
