#!/usr/bin/env python3
"""seed_streams.py - derive small seeds for fuzz_stream from recorded LTTng
stream files: every packet gets the UUID of data/rtk.metadata (babeltrace2
rejects a packet whose UUID differs from its trace's) and, with --trim, its
packet_size cut down to its content (so a 4 KiB packet of 4 KiB padding
costs the fuzzer nothing). Packet layout: the header and context of
data/rtk.metadata (little-endian; magic, uuid[16] at 4, content_size and
packet_size in bits at 48 and 56).

  seed_streams.py [--trim] [--packets N] IN OUT
"""
import re
import struct
import sys
import uuid
from pathlib import Path

here = Path(__file__).resolve().parent
meta = (here / "data" / "rtk.metadata").read_text()
trace_uuid = uuid.UUID(re.search(r'trace \{.*?uuid = "([0-9a-f-]+)"', meta, re.S).group(1))

args = sys.argv[1:]
trim = "--trim" in args
args = [a for a in args if a != "--trim"]
limit = None
if args and args[0] == "--packets":
    limit = int(args[1])
    args = args[2:]
src, dst = args
data = open(src, "rb").read()
out = bytearray()
off = n = 0
while off < len(data) and (limit is None or n < limit):
    content, size = struct.unpack_from("<QQ", data, off + 48)
    pkt = bytearray(data[off:off + size // 8])
    pkt[4:20] = trace_uuid.bytes
    if trim:
        new = (content + 7) // 8 * 8
        struct.pack_into("<Q", pkt, 56, new)
        pkt = pkt[:new // 8]
    out += pkt
    off += size // 8
    n += 1
open(dst, "wb").write(out)
