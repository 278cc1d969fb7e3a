/* syscall_hook.h - for a test executable that interposes syscall(2) to
 * watch or hold the runtime's futex and membarrier calls. Declare
 *     static void syscall_hook(long nr, const long a[6]);
 * (it sees the call's number and its six arguments, before the call) and
 * include this once: it defines syscall() itself, which then makes the
 * real call. */
#ifndef RTK_TEST_SYSCALL_HOOK_H
#define RTK_TEST_SYSCALL_HOOK_H

#include <dlfcn.h>
#include <stdarg.h>
#include <unistd.h>

static void syscall_hook(long nr, const long a[6]);

long syscall(long nr, ...)
{
    static long (*real)(long, ...);
    if (!real)
        real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
    va_list ap;
    va_start(ap, nr);
    long a[6];
    for (int i = 0; i < 6; i++)
        a[i] = va_arg(ap, long);
    va_end(ap);
    syscall_hook(nr, a);
    return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

#endif
