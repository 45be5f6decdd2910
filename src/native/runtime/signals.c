/* signals.c - signals for the verbs: forwarding to a foreground container (docker's
 * sig-proxy), waiting for it, wait status -> exit code, and signal names for `kill`.
 * Shared by the container verbs (container.c) and exec (execproc.c). */
#include "signals.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

int forwarded_signals(sigset_t *set, bool with_chld)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };
    sigemptyset(set);
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        sigaddset(set, sigs[i]);
    if (with_chld)
        sigaddset(set, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, set, NULL) < 0)
        die_errno("run", "block signals");
    int fd = signalfd(-1, set, SFD_CLOEXEC);
    if (fd < 0)
        die_errno("run", "signalfd");
    return fd;
}

/* Non-terminal run: stdio is inherited, we only forward signals (docker's sig-proxy)
 * and wait. */
int signal_wait(pid_t child, int sigfd)
{
    int status;
    for (;;) {
        struct signalfd_siginfo si;
        ssize_t n = read(sigfd, &si, sizeof(si));
        if (n < 0 && errno == EINTR)
            continue;
        if (n != sizeof(si))
            die_errno("run", "read signalfd");
        if (si.ssi_signo == SIGCHLD) {
            if (waitpid(child, &status, WNOHANG) == child)
                return status;
        } else {
            kill(child, (int)si.ssi_signo);
        }
    }
}

static const struct { const char *name; int sig; } sig_names[] = {
    {"HUP", SIGHUP}, {"INT", SIGINT}, {"QUIT", SIGQUIT}, {"ILL", SIGILL}, {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT}, {"IOT", SIGIOT}, {"BUS", SIGBUS}, {"FPE", SIGFPE}, {"KILL", SIGKILL},
    {"USR1", SIGUSR1}, {"SEGV", SIGSEGV}, {"USR2", SIGUSR2}, {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},
    {"TERM", SIGTERM}, {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT}, {"STOP", SIGSTOP},
    {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU}, {"URG", SIGURG}, {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO},
    {"POLL", SIGPOLL}, {"PWR", SIGPWR}, {"SYS", SIGSYS},
};

int parse_signal(const char *s)
{
    if (!s || !*s)
        return SIGTERM;
    char *end;
    long n = strtol(s, &end, 10);
    if (!*end)
        return (n > 0 && n < NSIG) ? (int)n : -1;
    if (!strncasecmp(s, "SIG", 3))
        s += 3;
    for (size_t i = 0; i < sizeof(sig_names) / sizeof(sig_names[0]); i++)
        if (!strcasecmp(s, sig_names[i].name))
            return sig_names[i].sig;
    if (!strncasecmp(s, "RTMIN", 5) || !strncasecmp(s, "RTMAX", 5)) {
        int off = s[5] ? atoi(s + 5) : 0;
        int v = !strncasecmp(s, "RTMIN", 5) ? SIGRTMIN + off : SIGRTMAX + off;
        return (v >= SIGRTMIN && v <= SIGRTMAX) ? v : -1;
    }
    return -1;
}
