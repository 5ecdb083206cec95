#include "harness/report/html_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "harness/report/sample_run_for_test.h"

namespace rh {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

HistoryView sample_trends() {
  HistoryView v;
  auto& t = v.scenarios["smoke/dhcp-linux/vmxnet3-bios"];
  t.phase_median_ms["kernel-start"] = {{"r1", "", 1400}, {"r2", "", 1500}, {"r3", "", 1450}};
  t.rom_size_bytes = {{"r1", "", 73000}, {"r2", "", 73728}};
  return v;
}

TEST(HtmlReportTest, HasTheSectionsABrowserTestCounts) {
  RunResult run = testing::sample_run();
  HtmlExtras extras;
  extras.feature_costs = {{"HTTPS", "vmware-full", 41234, "BIOS builds leave it out"}};
  extras.serial["smoke/dhcp-linux/vmxnet3-bios"] = {
      {130.5, "\x1b[0mSeaBIOS <1.16>"}, {140, "iPXE (http://ipxe.org)"}, {1500, "Linux version 6.1"}};
  std::string html = html_report(run, sample_trends(), extras);
  EXPECT_THAT(html, HasSubstr("<section id=\"summary\">"));
  EXPECT_EQ(count(html, "class=\"count\" data-verdict="), 8u);
  EXPECT_THAT(html, HasSubstr("data-verdict=\"FAIL\" data-count=\"1\""));
  EXPECT_EQ(count(html, "<tr class=\"scenario-row\""), 8u);
  EXPECT_EQ(count(html, "<div class=\"waterfall\" data-scenario="), 8u);
  EXPECT_EQ(count(html, "class=\"phase-bar\""), 8u * 5);
  EXPECT_THAT(html, HasSubstr("<section id=\"rom-sizes\">"));
  EXPECT_EQ(count(html, "<rect class=\"rom-bar"), 1u);  // all scenarios share one ROM file
  EXPECT_EQ(count(html, "class=\"rom-budget\""), 1u);
  EXPECT_EQ(count(html, "<tr class=\"feature-cost\">"), 1u);
  EXPECT_EQ(count(html, "<div class=\"trend\" data-scenario="), 1u);
  EXPECT_THAT(html, HasSubstr("class=\"sparkline\" data-metric=\"phase:kernel-start\" data-points=\"3\""));
  EXPECT_THAT(html, HasSubstr("class=\"sparkline\" data-metric=\"rom-size\" data-points=\"2\""));
  EXPECT_EQ(count(html, "<details class=\"serial-log\""), 8u);
  EXPECT_EQ(count(html, "class=\"phase-marker\""), 4u);  // every phase but vm-start
  EXPECT_THAT(html, HasSubstr("SeaBIOS &lt;1.16&gt;"));
  EXPECT_THAT(html, HasSubstr("not seen: first-guestinfo-read, userspace-marker"));
}

TEST(HtmlReportTest, SelfContainedAndEscaped) {
  std::string html = html_report(testing::sample_run(), {}, {});
  EXPECT_THAT(html, Not(HasSubstr("src=\"http")));
  EXPECT_THAT(html, Not(HasSubstr("href=\"http")));
  EXPECT_THAT(html, Not(HasSubstr("<script src")));
  EXPECT_THAT(html, Not(HasSubstr("\x1b")));
  EXPECT_THAT(html, Not(HasSubstr("\xff")));
  EXPECT_THAT(html, HasSubstr("&lt;tag&gt; &amp; &quot;quote&quot;"));  // from last_serial_lines
  EXPECT_THAT(html, Not(HasSubstr("id=\"feature-costs\"")));           // no rows, no table
  EXPECT_THAT(html, HasSubstr("No history yet."));
}

TEST(HtmlReportTest, OverBudgetRomIsMarked) {
  RunResult run = testing::sample_run();
  for (auto& s : run.scenarios) s.rom.budget_bytes = 65536;
  std::string html = html_report(run, {}, {});
  EXPECT_THAT(html, HasSubstr("class=\"rom-bar over-budget\""));
}

}  // namespace
}  // namespace rh
