/*
 * The guestinfo blob: every guestinfo.<key> value of a run in one fw_cfg file,
 * GUESTINFO_BLOB_FW_CFG_NAME, which QEMU's vmport parses once when the machine is
 * ready. One file instead of one fw_cfg file per key: keys are not bound by fw_cfg's
 * 55-character names or its file slots. Plain C11, no QEMU or glib; compiled into QEMU
 * (emulator/build-qemu), the unit tests and the fuzz targets. The harness writes it with
 * harness/vm/emulator/guestinfo_blob.h.
 *
 * Format (integers are 32-bit little-endian):
 *
 *   offset 0   8 bytes   magic "RHGUESTI"
 *   offset 8   u32       version, GUESTINFO_BLOB_VERSION (1)
 *   offset 12  u32       count, the number of records
 *   offset 16  count records, each: u32 key_len, u32 value_len, key bytes, value bytes
 *
 * Keys are given without "guestinfo.", 1..GUESTINFO_BLOB_MAX_KEY bytes, no NUL byte, in
 * strictly ascending byte order (memcmp; a prefix sorts first), so a key appears once.
 * Values are any bytes (NUL included), at most GUESTINFO_BLOB_MAX_VALUE. Nothing may follow
 * the last record. Anything else is rejected as a whole, with a message saying where.
 *
 * Example:
 *
 *   char err[GUESTINFO_BLOB_ERROR_SIZE];
 *   guestinfo_table* t = guestinfo_blob_parse(data, len, err, sizeof err);
 *   if (!t) die("%s", err);
 *   size_t n;
 *   const char* ip = guestinfo_table_lookup(t, "ipxe.net0.ip", &n);  // NULL when absent
 *   guestinfo_table_free(t);
 */
#ifndef ROMHARNESS_EMULATOR_GUESTINFO_BLOB_H
#define ROMHARNESS_EMULATOR_GUESTINFO_BLOB_H
/* A C header, also read by C++: C spellings stay. */
/* NOLINTBEGIN(modernize-use-using, modernize-deprecated-headers, readability-identifier-naming) */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GUESTINFO_BLOB_FW_CFG_NAME "opt/romharness/guestinfo"
#define GUESTINFO_BLOB_MAGIC "RHGUESTI" /* 8 bytes, no NUL in the file */
#define GUESTINFO_BLOB_MAGIC_LEN 8
#define GUESTINFO_BLOB_VERSION 1u
#define GUESTINFO_BLOB_HEADER_LEN 16
#define GUESTINFO_BLOB_RECORD_HEADER_LEN 8

/* A guest names a key in one message, "info-get guestinfo.<key>", of at most 64 KiB. */
#define GUESTINFO_BLOB_MAX_KEY 65517u /* 64 KiB - 19 */
/* A value travels in one reply, "1 <value>"; VMware's VMX sends at most about 1 MB. */
#define GUESTINFO_BLOB_MAX_VALUE 1048574u /* 1 MiB - 2 */
#define GUESTINFO_BLOB_MAX_KEYS 65536u
#define GUESTINFO_BLOB_MAX_BYTES 16777216u /* 16 MiB */
#define GUESTINFO_BLOB_ERROR_SIZE 160

typedef struct guestinfo_table guestinfo_table;

/* Validates and copies a blob. Returns NULL (and a message in err, which has room for
 * err_size bytes) when the blob is malformed or memory runs out. */
guestinfo_table* guestinfo_blob_parse(const void* data, size_t len, char* err, size_t err_size);

/* The value of `key` (NUL-terminated, without "guestinfo."), or NULL when absent. The
 * value is not NUL-terminated; it stays valid until guestinfo_table_free(). */
const char* guestinfo_table_lookup(const guestinfo_table* t, const char* key, size_t* len);

size_t guestinfo_table_count(const guestinfo_table* t);

/* Record i in blob order (ascending keys); 0 when i is out of range. For tests, fuzzing. */
int guestinfo_table_at(const guestinfo_table* t, size_t i, const char** key, size_t* key_len,
                       const char** value, size_t* value_len);

void guestinfo_table_free(guestinfo_table* t);

#ifdef __cplusplus
}
#endif

/* NOLINTEND(modernize-use-using, modernize-deprecated-headers, readability-identifier-naming) */

#endif /* ROMHARNESS_EMULATOR_GUESTINFO_BLOB_H */
