// libFuzzer target: arbitrary bytes as a guestinfo blob. Besides ASan/UBSan findings it
// checks that a rejected blob always says why, and that an accepted one is canonical: every
// record is found by lookup, and writing the records back gives exactly the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "emulator/guestrpc/guestinfo_blob.h"

namespace {

void put_le32(std::string& out, size_t v) {
  for (int i = 0; i < 4; i++) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  char err[GUESTINFO_BLOB_ERROR_SIZE] = "";
  guestinfo_table* t = guestinfo_blob_parse(data, size, err, sizeof err);
  if (!t) {
    if (err[0] == '\0') abort();
    return 0;
  }
  std::string again(GUESTINFO_BLOB_MAGIC, GUESTINFO_BLOB_MAGIC_LEN);
  put_le32(again, GUESTINFO_BLOB_VERSION);
  put_le32(again, guestinfo_table_count(t));
  const char *key = nullptr, *value = nullptr;
  size_t key_len = 0, value_len = 0;
  for (size_t i = 0; guestinfo_table_at(t, i, &key, &key_len, &value, &value_len); i++) {
    std::string k(key, key_len);
    size_t found_len = 0;
    if (guestinfo_table_lookup(t, k.c_str(), &found_len) != value || found_len != value_len) {
      abort();
    }
    put_le32(again, key_len);
    put_le32(again, value_len);
    again += k;
    again.append(value, value_len);
  }
  if (again != std::string(reinterpret_cast<const char*>(data), size)) abort();
  guestinfo_table_free(t);
  return 0;
}
