#include "harness/report/html_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "harness/report/sample_run_for_test.h"
#include "harness/timeline/timeline.h"

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
  extras.serial["smoke/dhcp-linux/vmxnet3-bios"] = {{130.5, "\x1b[0mSeaBIOS <1.16>"},
                                                    {140, "iPXE (http://ipxe.org)"},
                                                    {1500, "Linux version 6.1"}};
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
  EXPECT_THAT(
      html, HasSubstr("class=\"sparkline\" data-metric=\"phase:kernel-start\" data-points=\"3\""));
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
  EXPECT_THAT(html, Not(HasSubstr("id=\"feature-costs\"")));            // no rows, no table
  EXPECT_THAT(html, HasSubstr("No history yet."));
}

TEST(HtmlReportTest, OverBudgetRomIsMarked) {
  RunResult run = testing::sample_run();
  for (auto& s : run.scenarios) s.rom.budget_bytes = 65536;
  std::string html = html_report(run, {}, {});
  EXPECT_THAT(html, HasSubstr("class=\"rom-bar over-budget\""));
}

std::vector<SerialLine> captured_serial(const std::string& name) {
  std::ifstream in(std::string(RH_SOURCE_DIR) + "/harness/timeline/testdata/" + name +
                   ".serial.tsv");
  std::vector<SerialLine> lines;
  for (std::string line; std::getline(in, line);) {
    size_t tab = line.find('\t');
    lines.push_back({std::stod(line.substr(0, tab)), line.substr(tab + 1)});
  }
  return lines;
}

// A page from the real captured boots, left in the build tree for a browser
// check (build/test-tmp/html-real/index.html).
TEST(HtmlReportTest, WritesAPageFromRealTimelines) {
  RunResult run = testing::sample_run();
  run.scenarios.resize(3);
  HtmlExtras extras;
  const char* captures[] = {"e1000-bios", "vmxnet3-bios", "vmxnet3-efi"};
  for (size_t i = 0; i < 3; ++i) {
    ScenarioResult& s = run.scenarios[i];
    s.name = std::string("smoke/dhcp-linux/") + captures[i];
    s.verdict = Verdict::kPass;
    s.reason.clear();
    TimelineInputs in;
    in.serial = captured_serial(captures[i]);
    ASSERT_FALSE(in.serial.empty()) << captures[i];
    Timeline t = extract_timeline(in);
    s.phases = t.phases;
    s.missing_phases = t.missing;
    extras.serial[s.name] = in.serial;
  }
  auto dir = std::filesystem::path(RH_BINARY_DIR) / "test-tmp" / "html-real";
  std::filesystem::remove_all(dir);
  write_html(run, sample_trends(), dir / "index.html", extras);
  std::ifstream in(dir / "index.html");
  std::stringstream text;
  text << in.rdbuf();
  std::string html = text.str();
  EXPECT_EQ(count(html, "<div class=\"waterfall\" data-scenario="), 3u);
  EXPECT_THAT(html, HasSubstr("data-phase=\"userspace-marker\" data-at-ms=\"13770.4\""));
  EXPECT_THAT(html, HasSubstr("<span class=\"phase-marker\" data-phase=\"kernel-start\">"));
  EXPECT_THAT(html, HasSubstr("Press Ctrl-B for the iPXE command line..."));
}

}  // namespace
}  // namespace rh
