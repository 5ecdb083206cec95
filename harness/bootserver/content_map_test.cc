#include "harness/bootserver/content_map.h"

#include <gtest/gtest.h>

#include "harness/bootserver/test_client.h"
#include "harness/core/error.h"

namespace rh {
namespace {

TEST(ParseByteRange, SingleRanges) {
  const ByteRange a = parse_byte_range("bytes=0-99", 1000);
  EXPECT_EQ(a.kind, RangeKind::kSatisfiable);
  EXPECT_EQ(a.first, 0u);
  EXPECT_EQ(a.length, 100u);
  const ByteRange b = parse_byte_range("bytes=900-", 1000);
  EXPECT_EQ(b.first, 900u);
  EXPECT_EQ(b.length, 100u);
  const ByteRange c = parse_byte_range("bytes=-10", 1000);
  EXPECT_EQ(c.first, 990u);
  EXPECT_EQ(c.length, 10u);
  EXPECT_EQ(parse_byte_range("bytes=950-5000", 1000).length, 50u);
}

TEST(ParseByteRange, OthersAreIgnoredOrUnsatisfiable) {
  EXPECT_EQ(parse_byte_range("", 10).kind, RangeKind::kNone);
  EXPECT_EQ(parse_byte_range("bytes=0-1,5-6", 10).kind, RangeKind::kNone);
  EXPECT_EQ(parse_byte_range("bytes=x-1", 10).kind, RangeKind::kNone);
  EXPECT_EQ(parse_byte_range("bytes=5-2", 10).kind, RangeKind::kNone);
  EXPECT_EQ(parse_byte_range("items=0-1", 10).kind, RangeKind::kNone);
  EXPECT_EQ(parse_byte_range("bytes=10-", 10).kind, RangeKind::kUnsatisfiable);
  EXPECT_EQ(parse_byte_range("bytes=-0", 10).kind, RangeKind::kUnsatisfiable);
}

class ContentMapTest : public ::testing::Test {
 protected:
  testing::TempDir tmp_;
};

TEST_F(ContentMapTest, FillsIpxeAndListedTemplates) {
  tmp_.write("root/boot.ipxe", "#!ipxe\nkernel http://{{server}}/vmlinuz\n");
  tmp_.write("root/menu.cfg", "at {{server}}");
  tmp_.write("root/raw.cfg", "at {{server}}");
  ContentMap content(tmp_.path() / "root", {}, {"/menu.cfg"}, {{"server", "h:1"}});
  EXPECT_EQ(content.plan("/boot.ipxe", "").body, "#!ipxe\nkernel http://h:1/vmlinuz\n");
  EXPECT_EQ(content.plan("/menu.cfg", "").body, "at h:1");
  content.set_variable("server", "h:2");
  EXPECT_EQ(content.plan("/menu.cfg", "").body, "at h:2");
  const ResponsePlan raw = content.plan("/raw.cfg", "");
  EXPECT_TRUE(raw.from_file());
  EXPECT_EQ(raw.length, 13u);
}

TEST_F(ContentMapTest, ExtraFilesComeFromOutsideTheRoot) {
  std::filesystem::create_directories(tmp_.path() / "root");
  const auto kernel = tmp_.write("cache/vmlinuz", "KERNEL");
  ContentMap content(tmp_.path() / "root", {{"/vmlinuz", kernel}}, {}, {});
  const ResponsePlan p = content.plan("/vmlinuz", "bytes=1-2");
  EXPECT_EQ(p.status, 206);
  EXPECT_EQ(p.file, kernel);
  EXPECT_EQ(p.offset, 1u);
  EXPECT_EQ(p.length, 2u);
  EXPECT_EQ(content.plan("/cache/vmlinuz", "").status, 404);
  EXPECT_EQ(content.plan("/vmlinuz", "bytes=6-").status, 416);
}

TEST_F(ContentMapTest, SetupErrorsNameThePaths) {
  const std::string root = (tmp_.path() / "missing").string();
  try {
    ContentMap content(root, {}, {}, {});
    FAIL() << "no error";
  } catch (const SetupError& e) {
    EXPECT_EQ(std::string(e.what()), "boot server root '" + root + "' is not a directory");
  }
  try {
    ContentMap content(tmp_.path(), {{"/vmlinuz", "/nonexistent/vmlinuz"}}, {}, {});
    FAIL() << "no error";
  } catch (const SetupError& e) {
    EXPECT_EQ(std::string(e.what()),
              "boot server file '/nonexistent/vmlinuz' for '/vmlinuz' is not a regular file");
  }
}

TEST(TextResponse, NamesStatusAndDetail) {
  const ResponsePlan p = text_response(404, "no such file");
  EXPECT_EQ(p.body, "404 Not Found: no such file\n");
  EXPECT_EQ(p.length, p.body.size());
  EXPECT_EQ(p.note, "no such file");
}

}  // namespace
}  // namespace rh
