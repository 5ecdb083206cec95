#include "harness/vm/emulator/guestinfo_blob.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>

#include "emulator/guestrpc/guestinfo_blob.h"
#include "harness/core/error.h"

namespace rh {
namespace {

static_assert(kGuestinfoBlobFwCfgName == GUESTINFO_BLOB_FW_CFG_NAME);

void put_le32(std::string& out, std::size_t v) {
  for (int i = 0; i < 4; i++) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

void check_entry(const std::string& key, const std::string& value) {
  if (key.empty()) throw InputError("guestinfo key is empty: the emulator's blob needs a name");
  if (const std::size_t nul = key.find('\0'); nul != std::string::npos) {
    throw InputError("guestinfo key with a NUL byte at offset " + std::to_string(nul) +
                     ": the emulator's blob cannot hold it");
  }
  const std::string where = "guestinfo key '" + key.substr(0, 40) +
                            (key.size() > 40 ? "...'" : "'") + ": the emulator's blob ";
  if (key.size() > GUESTINFO_BLOB_MAX_KEY) {
    throw InputError(where + "holds keys of at most " + std::to_string(GUESTINFO_BLOB_MAX_KEY) +
                     " characters; this one has " + std::to_string(key.size()));
  }
  if (value.size() > GUESTINFO_BLOB_MAX_VALUE) {
    throw InputError(where + "holds values of at most " + std::to_string(GUESTINFO_BLOB_MAX_VALUE) +
                     " bytes; this one has " + std::to_string(value.size()));
  }
}

}  // namespace

std::string encode_guestinfo_blob(const std::map<std::string, std::string>& guestinfo) {
  if (guestinfo.size() > GUESTINFO_BLOB_MAX_KEYS) {
    throw InputError("guestinfo has " + std::to_string(guestinfo.size()) +
                     " keys; the emulator's blob holds at most " +
                     std::to_string(GUESTINFO_BLOB_MAX_KEYS));
  }
  std::string out(GUESTINFO_BLOB_MAGIC, GUESTINFO_BLOB_MAGIC_LEN);
  put_le32(out, GUESTINFO_BLOB_VERSION);
  put_le32(out, guestinfo.size());
  // std::map orders keys as std::string::compare does, bytewise like memcmp with a prefix
  // first: the ascending order the format requires.
  for (const auto& [key, value] : guestinfo) {
    check_entry(key, value);
    put_le32(out, key.size());
    put_le32(out, value.size());
    out += key;
    out += value;
    if (out.size() > GUESTINFO_BLOB_MAX_BYTES) {
      throw InputError("guestinfo needs more than the " + std::to_string(GUESTINFO_BLOB_MAX_BYTES) +
                       " bytes the emulator's blob may have");
    }
  }
  return out;
}

void write_guestinfo_blob(const std::filesystem::path& path,
                          const std::map<std::string, std::string>& guestinfo) {
  const std::string blob = encode_guestinfo_blob(guestinfo);
  auto fail = [&path](int err) {
    throw SetupError("cannot write guestinfo blob '" + path.string() +
                     "': " + std::strerror(err != 0 ? err : EIO));
  };
  struct Closer {
    void operator()(FILE* f) const { std::fclose(f); }
  };
  errno = 0;
  std::unique_ptr<FILE, Closer> f(std::fopen(path.c_str(), "wbe"));
  if (!f) fail(errno);
  if (std::fwrite(blob.data(), 1, blob.size(), f.get()) != blob.size()) fail(errno);
  if (std::fclose(f.release()) != 0) fail(errno);
}

}  // namespace rh
