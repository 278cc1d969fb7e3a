/* consumer.c - a tiny program built against an *installed* rtk: runs one task
 * through a runtime and checks it ran. Used by tests/install (both the
 * find_package and the pkg-config consumers). O(1). */
#include <rtk/rtk.h>

#include <stdio.h>
#include <string.h>

int consumer_cxx_part(void); /* consumer_cxx.cpp: the header used from C++ */

/* "yes" when the tracepoint provider librtk-tp.so is mapped into this
 * process (linked, preloaded, or dlopen()ed by librtk). Linux only. */
static const char *provider_loaded(void)
{
    char line[512];
    const char *found = "no";
    FILE *maps = fopen("/proc/self/maps", "r");
    if (!maps)
        return "unknown";
    while (fgets(line, sizeof line, maps))
        if (strstr(line, "librtk-tp.so")) {
            found = "yes";
            break;
        }
    fclose(maps);
    return found;
}

static int bump(void *arg)
{
    ++*(int *)arg;
    return 0;
}

int main(void)
{
    rtk_runtime_t *rt = NULL;
    int ran = 0;
    int err = rtk_runtime_create(NULL, &rt);
    if (err != RTK_OK) {
        fprintf(stderr, "consumer: rtk_runtime_create: %s\n", rtk_strerror(err));
        return 1;
    }
    if ((err = rtk_boot(rt)) != RTK_OK ||
        (err = rtk_schedule(rt, bump, &ran, RTK_PRIORITY_NORMAL)) != RTK_OK) {
        fprintf(stderr, "consumer: boot/schedule: %s\n", rtk_strerror(err));
        rtk_runtime_destroy(rt);
        return 1;
    }
    rtk_tick(rt);
    const char *provider = provider_loaded();
    rtk_runtime_destroy(rt);
    if (ran != 1) {
        fprintf(stderr, "consumer: the task ran %d times, expected 1\n", ran);
        return 1;
    }
    if (consumer_cxx_part() != 0)
        return 1;
    printf("consumer: ok (rtk %d.%d.%d, %s, provider loaded: %s)\n",
           RTK_VERSION_MAJOR, RTK_VERSION_MINOR, RTK_VERSION_PATCH,
           rtk_err_name(RTK_EFULL), provider);
    return 0;
}
