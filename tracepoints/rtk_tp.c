/* rtk_tp.c - builds the probes of provider `rtk` (librtk-tp.so). */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "rtk_tp.h"
