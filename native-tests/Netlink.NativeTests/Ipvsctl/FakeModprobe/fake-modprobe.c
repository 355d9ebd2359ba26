/* Stands in for /sbin/modprobe in ModuleProbeTests (compiled by the test, bind-mounted by run-with-fake-modprobe).
 * As "modprobe ARGS": prints its argv to standard output and, to standard error, an environment variable and the
 * signal mask and ignored signals it was started with, then exits as FAKE_MODPROBE_EXIT says ("killed": SIGKILL).
 * As "modprobe --start PROGRAM ARGS": blocks SIGUSR1, ignores SIGUSR2, sets SIGPIPE to its default, says so, and
 * execs PROGRAM with that state; a child PROGRAM starts as C's fork and exec do must start with the same.
 * C, not a shell script: dash clears the signal mask when it starts and bash blocks and ignores signals of its own. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void print_signals(const char *who)
{
    char line[256];
    FILE *status = fopen("/proc/self/status", "r");
    while (status != NULL && fgets(line, sizeof line, status) != NULL)
        if (strncmp(line, "SigBlk:", 7) == 0 || strncmp(line, "SigIgn:", 7) == 0)
            fprintf(stderr, "%s starts with %s", who, line);
    if (status != NULL)
        fclose(status);
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "--start") == 0) {
        sigset_t blocked;
        sigemptyset(&blocked);
        sigaddset(&blocked, SIGUSR1);
        sigprocmask(SIG_SETMASK, &blocked, NULL);
        signal(SIGUSR2, SIG_IGN);
        signal(SIGPIPE, SIG_DFL);
        print_signals("program");
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        return 127;
    }
    printf("fake modprobe: argv [");
    for (int i = 1; i < argc; i++)
        printf(i > 1 ? " %s" : "%s", argv[i]);
    printf("]\n");
    fflush(stdout);
    const char *mark = getenv("IPVSCTL_TEST_MARK");
    fprintf(stderr, "fake modprobe: IPVSCTL_TEST_MARK=[%s]\n", mark != NULL ? mark : "unset");
    print_signals("fake modprobe");
    const char *exit_as = getenv("FAKE_MODPROBE_EXIT");
    if (exit_as != NULL && strcmp(exit_as, "killed") == 0)
        raise(SIGKILL);
    return exit_as != NULL ? atoi(exit_as) : 1;
}
