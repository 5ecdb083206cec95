#include "harness/report/junit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness/core/process.h"
#include "harness/report/sample_run_for_test.h"

namespace rh {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

fs::path temp_dir(const std::string& name) {
  fs::path dir = fs::path(RH_BINARY_DIR) / "test-tmp" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

bool have_xmllint() {
  return run_command({"sh", "-c", "command -v xmllint"}, std::chrono::seconds(5)).status.ok();
}

std::string xpath(const fs::path& file, const std::string& expr) {
  auto out = run_command({"xmllint", "--xpath", expr, file.string()}, std::chrono::seconds(10));
  EXPECT_TRUE(out.status.ok()) << out.err;
  while (!out.out.empty() && out.out.back() == '\n') out.out.pop_back();
  return out.out;
}

TEST(JunitTest, NamesSplitDirectoryFromMatrixSuffix) {
  EXPECT_EQ(junit_names("smoke/dhcp-linux/vmxnet3-bios"),
            std::make_pair(std::string("smoke.dhcp-linux"), std::string("vmxnet3-bios")));
  EXPECT_EQ(junit_names("flat"), std::make_pair(std::string("romharness"), std::string("flat")));
}

TEST(JunitTest, CountsFollowVerdicts) {
  std::string xml = junit_xml(testing::sample_run());
  // FAIL, TIMEOUT, XPASS, FLAKY fail; UNRESOLVED errs; UNSUPPORTED skips.
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"romharness\" tests=\"8\" failures=\"4\" "
                             "errors=\"1\" skipped=\"1\""));
  EXPECT_THAT(xml, HasSubstr("timestamp=\"2026-11-29T01:36:24\""));
  EXPECT_THAT(xml, HasSubstr("XFAIL: failed as expected"));
}

TEST(JunitTest, EscapesAttributesAndCleansBodies) {
  std::string xml = junit_xml(testing::sample_run());
  EXPECT_THAT(xml, HasSubstr("message=\"stage &#39;userspace&#39; not seen &lt;in time&gt; &amp;  "
                             "\xEF\xBF\xBD(\""));
  EXPECT_THAT(xml, HasSubstr("cdata end ]]]]><![CDATA[> inside"));
  // Lines reach reporters decoded (console/); a stray escape still becomes
  // no control character in the XML.
  EXPECT_EQ(xml.find('\x1b'), std::string::npos);
  EXPECT_THAT(xml, HasSubstr("iPXE 1.0.0"));
  EXPECT_THAT(xml, Not(HasSubstr("\x01")));
  EXPECT_THAT(xml, Not(HasSubstr("\x1b")));
  EXPECT_THAT(xml, Not(HasSubstr("\xff")));
  EXPECT_THAT(xml, HasSubstr("<property name=\"rom.size_bytes\" value=\"73728\"/>"));
  EXPECT_THAT(xml, HasSubstr("<property name=\"rom.sha256\" value=\"9f86d081"));
}

TEST(JunitTest, XmllintAcceptsItAndReadsTheRightContent) {
  if (!have_xmllint()) GTEST_SKIP() << "xmllint not installed (Debian package libxml2-utils)";
  fs::path file = temp_dir("junit") / "junit.xml";
  write_junit(testing::sample_run(), file);
  auto lint = run_command({"xmllint", "--noout", file.string()}, std::chrono::seconds(10));
  EXPECT_TRUE(lint.status.ok()) << lint.err;
  EXPECT_EQ(xpath(file, "string(/testsuites/testsuite/@failures)"), "4");
  EXPECT_EQ(xpath(file, "count(//testcase)"), "8");
  EXPECT_EQ(xpath(file,
                  "string(//testcase[@name='e1000-bios' and @classname='smoke.dhcp-linux']"
                  "/failure/@type)"),
            "FAIL");
  EXPECT_THAT(xpath(file, "string(//testcase[@name='e1000-bios']/failure)"),
              HasSubstr("cdata end ]]> inside"));
  EXPECT_EQ(xpath(file, "count(//testcase[@classname='smoke.lab']/skipped)"), "1");
  EXPECT_EQ(xpath(file, "count(//testcase[@name='vmxnet3-efi']/error)"), "1");
}

TEST(JunitTest, WriteReplacesTheFileWholeAndLeavesNoTemporaries) {
  fs::path dir = temp_dir("junit-atomic");
  write_junit(testing::sample_run(), dir / "junit.xml");
  RunResult empty;
  write_junit(empty, dir / "junit.xml");
  std::ifstream in(dir / "junit.xml");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_THAT(text, HasSubstr("tests=\"0\""));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
}

}  // namespace
}  // namespace rh
