// The harness' guestinfo blob writer, decoded by the emulator's own C parser (linked in
// from emulator/guestrpc/), so writer and parser cannot drift apart.
#include "harness/vm/emulator/guestinfo_blob.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "emulator/guestrpc/guestinfo_blob.h"
#include "harness/core/error.h"
#include "harness/core/testing/temp_dir.h"

namespace rh {
namespace {

using Guestinfo = std::map<std::string, std::string>;

// Decodes with the emulator's parser; fails the test with its message when it rejects.
Guestinfo decode(const std::string& blob) {
  char err[GUESTINFO_BLOB_ERROR_SIZE] = "";
  guestinfo_table* t = guestinfo_blob_parse(blob.data(), blob.size(), err, sizeof err);
  EXPECT_NE(t, nullptr) << err;
  Guestinfo out;
  const char *key = nullptr, *value = nullptr;
  size_t key_len = 0, value_len = 0;
  for (size_t i = 0; guestinfo_table_at(t, i, &key, &key_len, &value, &value_len); i++) {
    out.emplace(std::string(key, key_len), std::string(value, value_len));
    size_t found_len = 0;
    const char* found = guestinfo_table_lookup(t, std::string(key, key_len).c_str(), &found_len);
    EXPECT_EQ(std::string(found, found_len), std::string(value, value_len));
  }
  guestinfo_table_free(t);
  return out;
}

TEST(GuestinfoBlob, FwCfgNameIsTheEmulators) {
  EXPECT_EQ(kGuestinfoBlobFwCfgName, GUESTINFO_BLOB_FW_CFG_NAME);
}

TEST(GuestinfoBlob, EmptyMapIsAHeaderOnly) {
  const std::string blob = encode_guestinfo_blob({});
  EXPECT_EQ(blob, std::string("RHGUESTI\x01\0\0\0\0\0\0\0", 16));
  EXPECT_EQ(decode(blob), Guestinfo{});
}

TEST(GuestinfoBlob, ExactBytesOfOneRecord) {
  EXPECT_EQ(encode_guestinfo_blob({{"ip", "10.0.0.1"}}),
            std::string("RHGUESTI\x01\0\0\0\x01\0\0\0\x02\0\0\0\x08\0\0\0ip10.0.0.1", 34));
}

TEST(GuestinfoBlob, ParserReadsBackWhatCloudInitAndIpxeNeed) {
  Guestinfo in;
  for (int i = 0; i < 300; i++) in["ipxe.k" + std::to_string(i)] = "v" + std::to_string(i);
  in[std::string(100, 'L')] = "long key";
  in[std::string(GUESTINFO_BLOB_MAX_KEY, 'K')] = "longest key";
  in["metadata"] = std::string(size_t{64} * 1024, 'm');
  in["metadata.encoding"] = "base64";
  in["binary"] = std::string("\0\n\"\\\xff|22", 8);
  in["empty"] = "";
  in["a"] = "prefix of ab";  // prefix order: "a" < "ab" < "b"
  in["ab"] = "x";
  in["b"] = "y";
  in["\xc3\xa9t\xc3\xa9"] = "bytes above 0x7f sort after ASCII";
  EXPECT_EQ(decode(encode_guestinfo_blob(in)), in);
}

TEST(GuestinfoBlob, KeysTheEmulatorCannotCarryAreInputErrors) {
  EXPECT_THROW(encode_guestinfo_blob({{"", "v"}}), InputError);
  try {
    encode_guestinfo_blob({{std::string("a\0b", 3), "v"}});
    ADD_FAILURE() << "no exception";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "guestinfo key with a NUL byte at offset 1: the emulator's blob cannot hold it");
  }
  EXPECT_THROW(encode_guestinfo_blob({{std::string(GUESTINFO_BLOB_MAX_KEY + 1, 'k'), ""}}),
               InputError);
  EXPECT_THROW(encode_guestinfo_blob({{"v", std::string(GUESTINFO_BLOB_MAX_VALUE + 1, 'v')}}),
               InputError);
}

TEST(GuestinfoBlob, WriteCreatesTheFileAndReportsFailures) {
  rh::testing::TempDir tmp;
  const Guestinfo in{{"ipxe.net0.ip", "10.0.0.10"}};
  write_guestinfo_blob(tmp.path() / "guestinfo.bin", in);
  std::ifstream f(tmp.path() / "guestinfo.bin", std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  EXPECT_EQ(ss.str(), encode_guestinfo_blob(in));
  try {
    write_guestinfo_blob(tmp.path() / "missing" / "guestinfo.bin", in);
    ADD_FAILURE() << "no exception";
  } catch (const SetupError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write guestinfo blob '" +
                                         (tmp.path() / "missing" / "guestinfo.bin").string() +
                                         "': No such file or directory");
  }
}

}  // namespace
}  // namespace rh
