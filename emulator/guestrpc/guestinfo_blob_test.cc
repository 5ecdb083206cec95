// Unit tests of the guestinfo blob parser: round trips at the sizes cloud-init and iPXE use,
// every rejection with its message, and the blob behind GuestRPC's info-get.
#include "emulator/guestrpc/guestinfo_blob.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "emulator/guestrpc/guestrpc.h"

namespace rh {
namespace {

using Records = std::vector<std::pair<std::string, std::string>>;

void put_le32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; i++) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

// Builds a blob byte by byte, without the harness' writer, so the format is checked here.
std::string make_blob(const Records& records, uint32_t version = GUESTINFO_BLOB_VERSION) {
  std::string out(GUESTINFO_BLOB_MAGIC, GUESTINFO_BLOB_MAGIC_LEN);
  put_le32(out, version);
  put_le32(out, static_cast<uint32_t>(records.size()));
  for (const auto& [key, value] : records) {
    put_le32(out, static_cast<uint32_t>(key.size()));
    put_le32(out, static_cast<uint32_t>(value.size()));
    out += key;
    out += value;
  }
  return out;
}

struct TableFree {
  void operator()(guestinfo_table* t) const { guestinfo_table_free(t); }
};
using Table = std::unique_ptr<guestinfo_table, TableFree>;

struct Parsed {
  Table table;
  std::string error;
};

Parsed parse(const std::string& blob) {
  char err[GUESTINFO_BLOB_ERROR_SIZE] = "";
  Table t(guestinfo_blob_parse(blob.data(), blob.size(), err, sizeof err));
  return {std::move(t), t ? "" : err};
}

std::optional<std::string> get_value(const guestinfo_table* t, const std::string& key) {
  size_t len = 0;
  const char* v = guestinfo_table_lookup(t, key.c_str(), &len);
  if (!v) return std::nullopt;
  return std::string(v, len);
}

TEST(GuestinfoBlob, EmptyBlobHasNoKeys) {
  Parsed p = parse(make_blob({}));
  ASSERT_TRUE(p.table) << p.error;
  EXPECT_EQ(guestinfo_table_count(p.table.get()), 0u);
  EXPECT_EQ(get_value(p.table.get(), "ipxe.net0.ip"), std::nullopt);
}

TEST(GuestinfoBlob, ValuesAreExactBytesIncludingNulAndEmpty) {
  const std::string binary("a\0b\n\"\xff", 6);
  Parsed p = parse(make_blob({{"empty", ""}, {"ipxe.net0.ip", "10.0.0.10"}, {"x", binary}}));
  ASSERT_TRUE(p.table) << p.error;
  EXPECT_EQ(guestinfo_table_count(p.table.get()), 3u);
  EXPECT_EQ(get_value(p.table.get(), "empty"), "");
  EXPECT_EQ(get_value(p.table.get(), "ipxe.net0.ip"), "10.0.0.10");
  EXPECT_EQ(get_value(p.table.get(), "x"), binary);
  EXPECT_EQ(get_value(p.table.get(), "ipxe.net0"), std::nullopt);      // a prefix is another key
  EXPECT_EQ(get_value(p.table.get(), "ipxe.net0.ipx"), std::nullopt);  // so is an extension
  EXPECT_EQ(get_value(p.table.get(), "IPXE.NET0.IP"), std::nullopt);   // case-sensitive
}

TEST(GuestinfoBlob, HundredsOfKeysLongKeysAndLargeValues) {
  Records records;
  for (int i = 0; i < 300; i++) {
    char key[32];
    snprintf(key, sizeof key, "probe.k%03d", i);
    records.emplace_back(key, "value " + std::to_string(i));
  }
  const std::string long_key(GUESTINFO_BLOB_MAX_KEY, 'k');
  const std::string metadata(size_t{64} * 1024, 'm');
  records.emplace_back(long_key, "long");
  records.emplace_back("userdata", metadata);
  records.emplace_back("v", std::string(GUESTINFO_BLOB_MAX_VALUE, 'v'));
  std::sort(records.begin(), records.end());
  Parsed p = parse(make_blob(records));
  ASSERT_TRUE(p.table) << p.error;
  EXPECT_EQ(guestinfo_table_count(p.table.get()), 303u);
  for (const auto& [key, value] : records) EXPECT_EQ(get_value(p.table.get(), key), value) << key;
}

TEST(GuestinfoBlob, EveryTruncationIsRejected) {
  const std::string blob = make_blob({{"a", "1"}, {"bb", "22"}});
  for (size_t n = 0; n < blob.size(); n++) {
    EXPECT_FALSE(parse(blob.substr(0, n)).table) << n;
  }
  EXPECT_TRUE(parse(blob).table);
}

std::string with_count(std::string blob, uint32_t count) {
  std::string c;
  put_le32(c, count);
  return blob.replace(12, 4, c);
}

struct Bad {
  const char* name;
  std::string blob;
  const char* error;
};

std::vector<Bad> bad_blobs() {
  const std::string ok = make_blob({{"a", "1"}});
  std::string bad_magic = ok;
  bad_magic[0] = 'X';
  std::string long_key = make_blob({{std::string(GUESTINFO_BLOB_MAX_KEY + 1, 'k'), ""}});
  std::string long_value = make_blob({{"k", std::string(GUESTINFO_BLOB_MAX_VALUE + 1, 'v')}});
  return {
      {"Empty", "", "guestinfo blob does not start with the magic \"RHGUESTI\""},
      {"BadMagic", bad_magic, "guestinfo blob does not start with the magic \"RHGUESTI\""},
      {"Version2", make_blob({}, 2), "guestinfo blob has version 2; this emulator reads version 1"},
      {"TooManyKeys", with_count(make_blob({}), GUESTINFO_BLOB_MAX_KEYS + 1),
       "guestinfo blob has 65537 keys; at most 65536 are accepted"},
      {"CountBeyondData", with_count(ok, 2), "guestinfo blob ends inside record 1 (offset 26)"},
      {"CountBelowData", with_count(ok, 0), "guestinfo blob has 10 bytes after its 0 records"},
      {"TrailingByte", ok + "x", "guestinfo blob has 1 bytes after its 1 records"},
      {"EmptyKey", make_blob({{"", "v"}}),
       "guestinfo blob record 0 (offset 16): key of 0 bytes; 1 to 65517 are accepted"},
      {"KeyTooLong", long_key,
       "guestinfo blob record 0 (offset 16): key of 65518 bytes; 1 to 65517 are accepted"},
      {"ValueTooLong", long_value,
       "guestinfo blob record 0 (offset 16): value of 1048575 bytes; at most 1048574 are "
       "accepted"},
      {"ValuePastEnd", ok.substr(0, ok.size() - 1) /* count says 1, body 1 byte short */,
       "guestinfo blob record 0 (offset 16) runs past the end"},
      {"NulInKey", make_blob({{std::string("a\0b", 3), "v"}}),
       "guestinfo blob record 0 (offset 16): key holds a NUL byte"},
      {"Duplicate", make_blob({{"a", "1"}, {"a", "2"}}),
       "guestinfo blob record 1 (offset 26): key is not after the previous one (keys must be "
       "unique and in ascending byte order)"},
      {"Unsorted", make_blob({{"b", "1"}, {"a", "2"}}),
       "guestinfo blob record 1 (offset 26): key is not after the previous one (keys must be "
       "unique and in ascending byte order)"},
      {"LongerBeforePrefix", make_blob({{"ab", "1"}, {"a", "2"}}),
       "guestinfo blob record 1 (offset 27): key is not after the previous one (keys must be "
       "unique and in ascending byte order)"},
  };
}

class GuestinfoBlobRejects : public testing::TestWithParam<Bad> {};

TEST_P(GuestinfoBlobRejects, WithAMessageSayingWhere) {
  Parsed p = parse(GetParam().blob);
  EXPECT_FALSE(p.table);
  EXPECT_EQ(p.error, GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(All, GuestinfoBlobRejects, testing::ValuesIn(bad_blobs()),
                         [](const testing::TestParamInfo<Bad>& p) { return p.param.name; });

TEST(GuestinfoBlob, BlobLargerThanTheCapIsRejectedBeforeReading) {
  std::string huge(GUESTINFO_BLOB_MAX_BYTES + 1, '\0');
  Parsed p = parse(huge);
  EXPECT_FALSE(p.table);
  EXPECT_EQ(p.error, "guestinfo blob is 16777217 bytes; at most 16777216 are accepted");
}

TEST(GuestinfoBlob, NullDataAndNullErrorBufferAreSafe) {
  EXPECT_EQ(guestinfo_blob_parse(nullptr, 0, nullptr, 0), nullptr);
  EXPECT_EQ(guestinfo_table_lookup(nullptr, "k", nullptr), nullptr);
  EXPECT_EQ(guestinfo_table_count(nullptr), 0u);
  guestinfo_table_free(nullptr);
}

TEST(GuestinfoBlob, TableAtListsRecordsInOrder) {
  Parsed p = parse(make_blob({{"a", "1"}, {"b", ""}}));
  ASSERT_TRUE(p.table);
  const char *key = nullptr, *value = nullptr;
  size_t key_len = 0, value_len = 0;
  ASSERT_TRUE(guestinfo_table_at(p.table.get(), 1, &key, &key_len, &value, &value_len));
  EXPECT_EQ(std::string(key, key_len), "b");
  EXPECT_EQ(value_len, 0u);
  EXPECT_FALSE(guestinfo_table_at(p.table.get(), 2, &key, &key_len, &value, &value_len));
}

// The blob behind GuestRPC as QEMU's vmport wires it: info-get finds blob values (up to
// a 64 KiB metadata value), info-set overrides them for the rest of the run.
const char* table_lookup(void* opaque, const char* key, size_t* len) {
  return guestinfo_table_lookup(static_cast<guestinfo_table*>(opaque), key, len);
}

std::string command(guestrpc_state* s, const std::string& cmd) {
  auto call = [s](uint16_t sub, uint32_t ebx) {
    guestrpc_regs r{0x564D5868, ebx, 0x1eu | uint32_t{sub} << 16, 0x5658, 0, 0, 0};
    guestrpc_backdoor(s, &r);
    return r;
  };
  if (call(1, static_cast<uint32_t>(cmd.size())).ecx != 0x00810000) return "send-size failed";
  for (size_t i = 0; i < cmd.size(); i += 4) {
    uint32_t word = 0;
    for (size_t b = 0; b < 4 && i + b < cmd.size(); b++) {
      word |= uint32_t{static_cast<uint8_t>(cmd[i + b])} << (8 * b);
    }
    call(2, word);
  }
  guestrpc_regs size = call(3, 0);
  std::string reply;
  for (uint32_t n = 0; n < size.ebx; n += 4) {
    uint32_t word = call(4, 1).ebx;
    for (uint32_t b = 0; b < 4 && n + b < size.ebx; b++) reply += char((word >> (8 * b)) & 0xff);
  }
  call(5, 1);
  return reply;
}

TEST(GuestinfoBlob, FeedsInfoGetAndInfoSetOverrides) {
  const std::string metadata(size_t{64} * 1024, 'm');
  Parsed p = parse(make_blob({{"metadata", metadata}, {"net0.ip", "10.0.0.10"}}));
  ASSERT_TRUE(p.table) << p.error;
  guestrpc_callbacks cb{p.table.get(), table_lookup, nullptr};
  guestrpc_state* s = guestrpc_new(&cb);
  auto open = [s] {
    guestrpc_regs r{0x564D5868, 0x49435052, 0x1e, 0x5658, 0, 0, 0};
    guestrpc_backdoor(s, &r);
    ASSERT_EQ(r.ecx, 0x00010000u);
  };
  open();
  EXPECT_EQ(command(s, "info-get guestinfo.metadata"), "1 " + metadata);
  EXPECT_EQ(command(s, "info-get guestinfo.net0.ip"), "1 10.0.0.10");
  EXPECT_EQ(command(s, "info-set guestinfo.net0.ip 10.9.9.9"), "1 ");
  guestrpc_reset_channels(s);
  open();
  EXPECT_EQ(command(s, "info-get guestinfo.net0.ip"), "1 10.9.9.9");
  EXPECT_EQ(command(s, "info-get guestinfo.missing"), "0 No value found");
  guestrpc_free(s);
}

}  // namespace
}  // namespace rh
