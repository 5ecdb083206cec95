#include "harness/report/html_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "harness/console/console_decoder.h"
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

TEST(HtmlReportTest, ShowsRetriedAttemptsNoticesAndWarnings) {
  RunResult run = testing::sample_run();
  run.notices = {"the boot server listened on 192.0.2.10 (lab file), not loopback"};
  run.warnings = {"after s1: cannot write history: disk full"};
  run.scenarios.front().retried = {{.attempt = 1,
                                    .verdict = Verdict::kUnresolved,
                                    .reason = "the VM's host stopped answering",
                                    .host = "qemu+ssh://lab-2/system",
                                    .artifacts_dir = "s1.attempt-1"}};
  const std::string html = html_report(run, {}, {});
  EXPECT_THAT(html, HasSubstr("<section id=\"run-notes\">"));
  EXPECT_THAT(html, HasSubstr("not loopback"));
  EXPECT_THAT(html, HasSubstr("warning: after s1: cannot write history: disk full"));
  EXPECT_EQ(count(html, "<tr class=\"retried-attempt\""), 1u);
  EXPECT_THAT(html, HasSubstr("the VM&#39;s host stopped answering (retried)"));
}

TEST(HtmlReportTest, HasTheSectionsABrowserTestCounts) {
  RunResult run = testing::sample_run();
  HtmlExtras extras;
  extras.feature_costs = {{"HTTPS", "vmware-full", 41234, "BIOS builds leave it out"}};
  // The first scenario's console as a run leaves it: the serial.tsv artifact.
  const auto dir = std::filesystem::path(RH_BINARY_DIR) / "test-tmp" / "html-sections";
  std::filesystem::create_directories(dir / "s1");
  std::ofstream(dir / "s1/serial.tsv")
      << "130.5\tFirmware <1.16>\n140\tiPXE (http://ipxe.org)\n1500\tLinux version 6.1\n";
  run.scenarios.front().artifacts["serial.tsv"] = "s1/serial.tsv";
  std::string html = html_report(run, sample_trends(), extras, dir);
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
  EXPECT_THAT(html, HasSubstr("Firmware &lt;1.16&gt;"));
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

// A recorded boot's console, decoded as the runner decodes it.
std::vector<ConsoleLine> captured_serial(const std::string& name) {
  std::ifstream in(std::string(RH_SOURCE_DIR) + "/harness/timeline/testdata/" + name +
                   ".serial.tsv");
  std::vector<ConsoleLine> lines;
  for (std::string line; std::getline(in, line);) {
    size_t tab = line.find('\t');
    const std::string text = clean_console_line(line.substr(tab + 1));
    if (!text.empty()) lines.push_back({std::stod(line.substr(0, tab)), text});
  }
  return lines;
}

// A page from the real captured boots, left in the build tree for a browser
// check (build/test-tmp/html-real/index.html).
TEST(HtmlReportTest, WritesAPageFromRealTimelines) {
  RunResult run = testing::sample_run();
  run.scenarios.resize(3);
  auto dir = std::filesystem::path(RH_BINARY_DIR) / "test-tmp" / "html-real";
  std::filesystem::remove_all(dir);
  const char* captures[] = {"e1000-bios", "vmxnet3-bios", "vmxnet3-efi"};
  for (size_t i = 0; i < 3; ++i) {
    ScenarioResult& s = run.scenarios[i];
    s.name = std::string("smoke/dhcp-linux/") + captures[i];
    s.verdict = Verdict::kPass;
    s.reason.clear();
    BootEvidence in;
    in.console = captured_serial(captures[i]);
    ASSERT_FALSE(in.console.empty()) << captures[i];
    Timeline t = extract_timeline(in);
    s.phases = t.phases;
    s.missing_phases = t.missing;
    // The page reads each scenario's serial.tsv artifact, as after a run.
    const auto tsv = dir / s.name / "serial.tsv";
    std::filesystem::create_directories(tsv.parent_path());
    std::ofstream out(tsv);
    for (const auto& l : in.console) out << l.at_ms << '\t' << l.text << '\n';
    s.artifacts["serial.tsv"] = s.name + "/serial.tsv";
  }
  write_html(run, sample_trends(), dir / "index.html");
  std::ifstream in(dir / "index.html");
  std::stringstream text;
  text << in.rdbuf();
  std::string html = text.str();
  EXPECT_EQ(count(html, "<div class=\"waterfall\" data-scenario="), 3u);
  EXPECT_THAT(html, HasSubstr("data-phase=\"userspace-marker\" data-at-ms=\"13770.4\""));
  EXPECT_THAT(html, HasSubstr("<span class=\"phase-marker\" data-phase=\"kernel-start\">"));
  EXPECT_THAT(html, HasSubstr("Press Ctrl-B to configure iPXE (PCI 00:02.0)..."));
}

}  // namespace
}  // namespace rh
