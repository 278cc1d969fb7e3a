/* page.h - the viewer page (viewer/dist/rtk-viewer.html), embedded at
 * build time by tools/embed_file.cmake into a generated C array. */
#ifndef RTT_PAGE_H
#define RTT_PAGE_H

#include <stddef.h>

extern const unsigned char rtt_viewer_html[];
extern const size_t rtt_viewer_html_len;

#endif
