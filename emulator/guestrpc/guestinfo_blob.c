/*
 * The guestinfo blob parser; see guestinfo_blob.h for the format. The blob comes from
 * the harness, not the guest, but it is still parsed as untrusted bytes: every length is
 * checked against what is left before it is used, and nothing is allocated until the
 * whole blob has been validated.
 */
#include "guestinfo_blob.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
  const char* key;
  size_t key_len;
  const char* value;
  size_t value_len;
} entry;

struct guestinfo_table {
  char* data; /* a copy of the blob; entries point into it */
  entry* entries;
  size_t count;
};

static uint32_t le32(const unsigned char* p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void set_error(char* err, size_t err_size, const char* fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_error(char* err, size_t err_size, const char* fmt, ...) {
  if (!err || err_size == 0) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(err, err_size, fmt, ap);
  va_end(ap);
  if (n < 0) err[0] = '\0';
}

/* memcmp order with a prefix first: <0, 0, >0 like memcmp. */
static int compare_keys(const char* a, size_t a_len, const char* b, size_t b_len) {
  int c = memcmp(a, b, a_len < b_len ? a_len : b_len);
  if (c != 0) return c;
  return a_len < b_len ? -1 : a_len > b_len ? 1 : 0;
}

static int check_header(const unsigned char* p, size_t len, uint32_t* count, char* err,
                        size_t err_size) {
  if (len > GUESTINFO_BLOB_MAX_BYTES) {
    set_error(err, err_size, "guestinfo blob is %zu bytes; at most %u are accepted", len,
              (unsigned)GUESTINFO_BLOB_MAX_BYTES);
    return 0;
  }
  if (len < GUESTINFO_BLOB_HEADER_LEN ||
      memcmp(p, GUESTINFO_BLOB_MAGIC, GUESTINFO_BLOB_MAGIC_LEN) != 0) {
    set_error(err, err_size, "guestinfo blob does not start with the magic \"%s\"",
              GUESTINFO_BLOB_MAGIC);
    return 0;
  }
  uint32_t version = le32(p + 8);
  if (version != GUESTINFO_BLOB_VERSION) {
    set_error(err, err_size, "guestinfo blob has version %u; this emulator reads version %u",
              version, GUESTINFO_BLOB_VERSION);
    return 0;
  }
  *count = le32(p + 12);
  if (*count > GUESTINFO_BLOB_MAX_KEYS) {
    set_error(err, err_size, "guestinfo blob has %u keys; at most %u are accepted", *count,
              (unsigned)GUESTINFO_BLOB_MAX_KEYS);
    return 0;
  }
  return 1;
}

/* Checks record i at *pos and advances *pos past it; fills *e if e is not NULL. */
static int check_record(const unsigned char* p, size_t len, size_t* pos, uint32_t i,
                        const entry* prev, entry* e, char* err, size_t err_size) {
  size_t at = *pos;
  if (len - at < GUESTINFO_BLOB_RECORD_HEADER_LEN) {
    set_error(err, err_size, "guestinfo blob ends inside record %u (offset %zu)", i, at);
    return 0;
  }
  uint32_t key_len = le32(p + at), value_len = le32(p + at + 4);
  const char* key = (const char*)p + at + GUESTINFO_BLOB_RECORD_HEADER_LEN;
  if (key_len == 0 || key_len > GUESTINFO_BLOB_MAX_KEY) {
    set_error(err, err_size,
              "guestinfo blob record %u (offset %zu): key of %u bytes; 1 to %u "
              "are accepted",
              i, at, key_len, (unsigned)GUESTINFO_BLOB_MAX_KEY);
    return 0;
  }
  if (value_len > GUESTINFO_BLOB_MAX_VALUE) {
    set_error(err, err_size,
              "guestinfo blob record %u (offset %zu): value of %u bytes; at most "
              "%u are accepted",
              i, at, value_len, (unsigned)GUESTINFO_BLOB_MAX_VALUE);
    return 0;
  }
  size_t body = (size_t)key_len + value_len;
  if (len - at - GUESTINFO_BLOB_RECORD_HEADER_LEN < body) {
    set_error(err, err_size, "guestinfo blob record %u (offset %zu) runs past the end", i, at);
    return 0;
  }
  if (memchr(key, '\0', key_len)) {
    set_error(err, err_size, "guestinfo blob record %u (offset %zu): key holds a NUL byte", i, at);
    return 0;
  }
  if (prev && compare_keys(prev->key, prev->key_len, key, key_len) >= 0) {
    set_error(err, err_size,
              "guestinfo blob record %u (offset %zu): key is not after the "
              "previous one (keys must be unique and in ascending byte order)",
              i, at);
    return 0;
  }
  if (e) *e = (entry){key, key_len, key + key_len, value_len};
  *pos = at + GUESTINFO_BLOB_RECORD_HEADER_LEN + body;
  return 1;
}

/* One pass over the records; with `entries` NULL it only validates. */
static int walk(const unsigned char* p, size_t len, uint32_t count, entry* entries, char* err,
                size_t err_size) {
  size_t pos = GUESTINFO_BLOB_HEADER_LEN;
  entry prev, cur;
  for (uint32_t i = 0; i < count; i++) {
    if (!check_record(p, len, &pos, i, i ? &prev : NULL, &cur, err, err_size)) return 0;
    if (entries) entries[i] = cur;
    prev = cur;
  }
  if (pos != len) {
    set_error(err, err_size, "guestinfo blob has %zu bytes after its %u records", len - pos, count);
    return 0;
  }
  return 1;
}

guestinfo_table* guestinfo_blob_parse(const void* data, size_t len, char* err, size_t err_size) {
  const unsigned char* in = data;
  uint32_t count = 0;
  if (!in && len) len = 0;
  if (!check_header(in, len, &count, err, err_size)) return NULL;
  if (!walk(in, len, count, NULL, err, err_size)) return NULL;
  guestinfo_table* t = calloc(1, sizeof *t);
  char* copy = malloc(len);
  entry* entries = calloc(count ? count : 1, sizeof *entries);
  if (!t || !copy || !entries) {
    free(t);
    free(copy);
    free(entries);
    set_error(err, err_size, "guestinfo blob: out of memory for %zu bytes", len);
    return NULL;
  }
  memcpy(copy, in, len);
  walk((const unsigned char*)copy, len, count, entries, NULL, 0); /* validated above */
  t->data = copy;
  t->entries = entries;
  t->count = count;
  return t;
}

const char* guestinfo_table_lookup(const guestinfo_table* t, const char* key, size_t* len) {
  if (!t || !key) return NULL;
  size_t key_len = strlen(key), lo = 0, hi = t->count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const entry* e = &t->entries[mid];
    int c = compare_keys(e->key, e->key_len, key, key_len);
    if (c == 0) {
      if (len) *len = e->value_len;
      return e->value;
    }
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return NULL;
}

size_t guestinfo_table_count(const guestinfo_table* t) { return t ? t->count : 0; }

int guestinfo_table_at(const guestinfo_table* t, size_t i, const char** key, size_t* key_len,
                       const char** value, size_t* value_len) {
  if (!t || i >= t->count) return 0;
  *key = t->entries[i].key;
  *key_len = t->entries[i].key_len;
  *value = t->entries[i].value;
  *value_len = t->entries[i].value_len;
  return 1;
}

void guestinfo_table_free(guestinfo_table* t) {
  if (!t) return;
  free(t->data);
  free(t->entries);
  free(t);
}
