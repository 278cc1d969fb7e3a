/* tsdl.h - the CTF 1.8 metadata (TSDL) that rt-trace's own CTF reader
 * understands, parsed into a type tree (tsdl.c).
 *
 * The subset is what LTTng-UST 2.x writes: typealias, struct, enum,
 * variant (tag = a sibling member), integer, floating_point, string,
 * fixed arrays and sequences (length = a sibling member); the top-level
 * blocks trace, env, clock, stream, event (callsite blocks are skipped).
 * Anything else (a type this reader does not know, a tag path that is not
 * a sibling, big-endian data) is a parse failure with one line of why: the
 * caller then reads the trace with babeltrace2, which knows all of CTF.
 * Cost: O(metadata size), once per trace; the tree is freed with the meta.
 */
#ifndef RTT_CTF_TSDL_H
#define RTT_CTF_TSDL_H

#include <stddef.h>
#include <stdint.h>

typedef enum rtt_tkind {
    RTT_T_INT,     /* integer or enum (nmap > 0) */
    RTT_T_FLOAT,   /* floating_point: size = exp_dig + mant_dig bits */
    RTT_T_STRING,  /* NUL-terminated bytes */
    RTT_T_ARRAY,   /* elem[length] */
    RTT_T_SEQ,     /* elem[len_member]: length read from a sibling */
    RTT_T_STRUCT,
    RTT_T_VARIANT  /* option chosen by the label of a sibling enum */
} rtt_tkind_t;

typedef struct rtt_type rtt_type_t;

typedef struct rtt_enum_map {
    int64_t lo, hi; /* inclusive; for an unsigned enum, the bits of the
                       uint64_t values (compare as the container's sign) */
    char *label;
} rtt_enum_map_t;

typedef struct rtt_member {
    char *name; /* as written, with a leading '_' if it has one */
    rtt_type_t *type;
} rtt_member_t;

struct rtt_type {
    rtt_tkind_t kind;
    unsigned align;      /* in bits: integer align attribute, struct's
                            max(member aligns, align(N)), 8 for string,
                            the element's for arrays/sequences */
    /* RTT_T_INT, RTT_T_FLOAT */
    unsigned size;       /* bits: 1..64 for integers */
    int is_signed;
    int is_text;         /* encoding = UTF8 or ASCII: an array or sequence
                            of 8-bit text integers is a string */
    int clock;           /* map = clock.NAME.value: index in meta->clocks;
                            -1 if not mapped */
    size_t nmap;         /* enum mappings, in declaration order */
    rtt_enum_map_t *map;
    /* RTT_T_ARRAY, RTT_T_SEQ */
    rtt_type_t *elem;
    uint64_t length;     /* ARRAY */
    int len_member;      /* SEQ: index of the length member among the
                            enclosing struct's members (declared before) */
    /* RTT_T_STRUCT: members; RTT_T_VARIANT: options */
    size_t nmemb;
    rtt_member_t *memb;
    int tag_member;      /* VARIANT: index of the tag (an enum) among the
                            enclosing struct's members (declared before) */
    /* Added after the first interface: the number of type nodes of this
     * type written out (a shared type counted at each use, an array's
     * element once), at most 65536: a decoder's work per instance is
     * bounded by it and the data's bits (the parser refuses arrays and
     * sequences of elements that hold no data). */
    uint64_t nodes;
};

typedef struct rtt_ctf_clock {
    char *name;
    uint64_t freq;       /* Hz; default 1000000000 */
    int64_t offset_s;    /* default 0 */
    int64_t offset;      /* cycles; default 0 */
    int have_uuid;
    unsigned char uuid[16];
} rtt_ctf_clock_t;

typedef struct rtt_ctf_env {
    char *name;
    int is_int;          /* else a string */
    int64_t i;
    char *s;
} rtt_ctf_env_t;

typedef struct rtt_ctf_stream_class {
    uint64_t id;         /* 0 when the block has no id */
    rtt_type_t *packet_context; /* NULL if absent */
    rtt_type_t *event_header;
    rtt_type_t *event_context;
} rtt_ctf_stream_class_t;

typedef struct rtt_ctf_event_class {
    uint64_t id;         /* 0 when absent */
    uint64_t stream_id;  /* 0 when absent */
    char *name;
    rtt_type_t *context; /* NULL if absent */
    rtt_type_t *fields;  /* NULL if absent */
} rtt_ctf_event_class_t;

typedef struct rtt_ctf_meta {
    int major, minor;
    int have_uuid;
    unsigned char uuid[16];
    int big_endian;      /* trace byte_order = be (the parse fails: the
                            reader handles little-endian only) */
    rtt_type_t *packet_header; /* NULL if absent */
    size_t nenv;
    rtt_ctf_env_t *env;
    size_t nclocks;
    rtt_ctf_clock_t *clocks;
    size_t nstreams;
    rtt_ctf_stream_class_t *streams;
    size_t nevents;
    rtt_ctf_event_class_t *events;
    /* every type allocated, for rtt_tsdl_free (types may be shared) */
    void *arena;
} rtt_ctf_meta_t;

/* Parse TSDL text (len bytes, NUL not required). Returns 0, or -1 with one
 * line in err: "metadata line N: what". m is zeroed first and always safe
 * to free. */
int rtt_tsdl_parse(const char *text, size_t len, rtt_ctf_meta_t *m, char *err,
                   size_t errlen);

/* Read DIR/metadata (packetized as LTTng writes it, or plain text) and
 * parse it. Returns 0, or -1 with one line in err naming the file. */
int rtt_tsdl_read(const char *dir, rtt_ctf_meta_t *m, char *err, size_t errlen);

void rtt_tsdl_free(rtt_ctf_meta_t *m);

/* Lookups (NULL when absent). */
const rtt_ctf_stream_class_t *rtt_tsdl_stream(const rtt_ctf_meta_t *m, uint64_t id);
const rtt_ctf_env_t *rtt_tsdl_env(const rtt_ctf_meta_t *m, const char *name);
/* A member of a struct type by name, ignoring one leading '_' on either
 * side; its index or -1. */
int rtt_tsdl_member(const rtt_type_t *st, const char *name);

#endif
