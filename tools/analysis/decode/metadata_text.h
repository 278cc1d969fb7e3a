/* metadata_text.h - the TSDL text of a CTF `metadata` file, packetized
 * (as LTTng writes it) or plain (metadata_text.c). Shared by
 * decode/metadata.c (the trace UUID, the tracer) and ctf/tsdl.c (the own
 * CTF reader's metadata parser). Cost: one read of the file (kilobytes).
 */
#ifndef RTT_DECODE_METADATA_TEXT_H
#define RTT_DECODE_METADATA_TEXT_H

#include <stddef.h>

#define RTT_META_MAX (64u << 20) /* a larger metadata file is read in part */

/* Read the file at path into *text (malloc'd, NUL-terminated, *len bytes
 * without the NUL): the concatenated text of its packets when it starts
 * with the packet magic 0x75D11D57 (either byte order), else the file as
 * is. uuid/have_uuid: the first packet header's UUID (have_uuid 0 for a
 * plain file). Returns 0, or an errno value (ENOMEM, or fopen's/fread's)
 * with *text NULL. */
int rtt_meta_text(const char *path, char **text, size_t *len,
                  unsigned char uuid[16], int *have_uuid);

#endif
