#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora: corpus/<target>/<name>.bin.

guestrpc_fuzz seeds are recorded GuestRPC sessions in the target's input format (8 bytes a
call: op, selector, channel, EBX as 4 bytes little-endian, count; see guestrpc_fuzz.cc):
the calls iPXE makes for info-get and log, an info-set, a failed lookup, open-vm-tools'
cookie open with the high-bandwidth port, and a reset. guestinfo_blob_fuzz seeds are valid
blobs (emulator/README.md, "The guestinfo blob") and a few near misses.

  emulator/guestrpc/corpus/make-seeds.py      # rewrites both directories
"""
import pathlib
import struct

HERE = pathlib.Path(__file__).resolve().parent


def call(op, sel, channel=0, ebx=0, count=0):
    return bytes([op, sel, channel]) + struct.pack("<I", ebx) + bytes([count])


def backdoor(sub, ebx=0, channel=0):
    return call(0, sub, channel, ebx)


def ipxe_command(text, reply_len):
    """iPXE's guestrpc_command(): length, data words, reply length, reply words, finish."""
    data = text.encode()
    out = backdoor(1, len(data))
    for i in range(0, len(data), 4):
        out += backdoor(2, int.from_bytes(data[i:i + 4], "little"))
    out += backdoor(3)
    out += b"".join(backdoor(4, 1) for _ in range((reply_len + 3) // 4))
    return out + backdoor(5, 1)


OPEN, CLOSE, RESET = backdoor(0, 0x49435052), backdoor(6), call(3, 0)
# The fuzz target's lookup: keys starting with 'm' are missing, others have 5 bytes.
SESSIONS = {
    "ipxe-info-get": OPEN + ipxe_command("info-get guestinfo.ipxe.net0.ip", 7) + CLOSE,
    "ipxe-info-get-missing":
        OPEN + ipxe_command("info-get guestinfo.missing", len("0 No value found")) + CLOSE,
    "ipxe-log": OPEN + ipxe_command("log iPXE 1.21.1 (g0ab2277)", 2) + CLOSE,
    "ipxe-settings-then-reset": OPEN + ipxe_command("info-get guestinfo.ipxe.filename", 7) +
                                ipxe_command("info-get guestinfo.ipxe.scriptlet", 7) + RESET +
                                OPEN + ipxe_command("log after reset", 2),
    "info-set-then-get": OPEN + ipxe_command("info-set guestinfo.k v", 2) +
                         ipxe_command("info-get guestinfo.k", 3) + CLOSE,
    "unknown-command": OPEN + ipxe_command("tools.capability.x 1", 2) +
                       ipxe_command("nonsense", len("0 Unknown command")) + CLOSE,
}


def hb_log_session():
    """open-vm-tools: cookie open, send-size, "log " over port 0x5659, reply over 0x5659."""
    # The target sends byte (EBX >> (left % 4 * 8)) while ECX counts down from 4 to 1.
    word = ord("l") | ord(" ") << 8 | ord("g") << 16 | ord("o") << 24
    cookie_open = call(0, 0x12)  # selector 18: subcommand 18 % 9 = 0 with the cookie bit 0x10
    return cookie_open + backdoor(1, 4) + call(1, 0, 0, word, 3) + backdoor(3) + call(2, 0, 0, 0, 1) + \
        backdoor(5, 1) + CLOSE


def blob(records, version=1):
    out = b"RHGUESTI" + struct.pack("<II", version, len(records))
    for key, value in records:
        out += struct.pack("<II", len(key), len(value)) + key + value
    return out


BLOBS = {
    "empty": blob([]),
    "ipxe-static": blob(sorted([(b"ipxe.net0.ip", b"10.0.0.10"),
                                (b"ipxe.net0.netmask", b"255.255.255.0"),
                                (b"ipxe.net0.gateway", b"10.0.0.1"),
                                (b"ipxe.dns", b"10.0.0.1"),
                                (b"ipxe.scriptlet", b"chain http://10.0.0.1/boot.ipxe")])),
    "cloud-init": blob([(b"metadata", b"aW5zdGFuY2UtaWQ6IGkx" * 40),
                        (b"metadata.encoding", b"base64"),
                        (b"userdata", b"I2Nsb3VkLWNvbmZpZwo=" * 40),
                        (b"userdata.encoding", b"base64")]),
    "prefix-order-binary": blob([(b"a", b"\x00\xff\n\""), (b"ab", b""), (b"b", bytes(range(256)))]),
    "long-key": blob([(b"k" * 1000, b"v")]),
    "unsorted": blob([(b"b", b"1"), (b"a", b"2")]),
    "version-2": blob([], version=2),
    "truncated": blob([(b"key", b"value")])[:-1],
}


def write(target, seeds):
    d = HERE / target
    d.mkdir(exist_ok=True)
    for old in d.glob("*.bin"):
        old.unlink()
    for name, data in seeds.items():
        (d / f"{name}.bin").write_bytes(data)


if __name__ == "__main__":
    SESSIONS["vmtools-hb-log"] = hb_log_session()
    write("guestrpc_fuzz", SESSIONS)
    write("guestinfo_blob_fuzz", BLOBS)
