// consumer_cxx.cpp - proves <rtk/rtk.h> compiles and links as C++ (C++11)
// in a program built against an installed rtk. O(1).
#include <rtk/rtk.h>

#include <cstdio>
#include <cstring>

extern "C" int consumer_cxx_part(void);

extern "C" int consumer_cxx_part(void)
{
    rtk_config_t cfg;
    rtk_config_init(&cfg);
    if (cfg.batch_size == 0 || std::strcmp(rtk_err_name(RTK_ENOENT), "RTK_ENOENT") != 0) {
        std::fprintf(stderr, "consumer_cxx: unexpected defaults/names\n");
        return 1;
    }
    rtk_id_t id = 0;
    if (rtk_input_mark(nullptr, 0, "key", &id) != RTK_EINVAL || id != 0) {
        std::fprintf(stderr, "consumer_cxx: rtk_input_mark without a runtime\n");
        return 1;
    }
    return 0;
}
