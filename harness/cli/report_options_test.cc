#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/cli/parse_for_test.h"

namespace rh {
namespace {
using testing::cli;
using ::testing::HasSubstr;
using testing::parse;

TEST(GateOptions, ReadsLimitsAndRuns) {
  const auto p =
      parse({"gate", "--baseline", "latest-pass", "--run=r2", "--db", "h.sqlite",
             "--max-rom-growth=512", "--max-phase-regression", "20", "--min-phase-delta", "75.5"});
  const GateCommandOptions& g = p->options.gate;
  EXPECT_EQ(g.baseline, "latest-pass");
  EXPECT_EQ(g.run, "r2");
  EXPECT_EQ(g.db, "h.sqlite");
  EXPECT_EQ(g.limits.max_rom_growth_bytes, 512);
  EXPECT_EQ(g.limits.max_phase_regression_pct, 20);
  EXPECT_EQ(g.limits.min_phase_delta_ms, 75.5);
}

TEST(GateOptions, Defaults) {
  const auto p = parse({"gate", "--baseline", "x"});
  const GateCommandOptions& g = p->options.gate;
  EXPECT_EQ(g.run, "latest");
  EXPECT_EQ(g.db, kDefaultHistoryPath);
  EXPECT_EQ(g.limits.max_rom_growth_bytes, 0);
  EXPECT_EQ(g.limits.max_phase_regression_pct, 10);
  EXPECT_EQ(g.limits.min_phase_delta_ms, 50);
}

TEST(GateOptions, BadArgumentsExitTwoWithTheValue) {
  auto r = cli({"gate"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("romharness gate: --baseline is required"));
  r = cli({"gate", "--baseline", "x", "--max-rom-growth", "lots"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("romharness gate: --max-rom-growth"));
  EXPECT_THAT(r.err, HasSubstr("lots"));
  r = cli({"gate", "--baseline", "x", "--max-rom-growth", "-5"});
  EXPECT_EQ(r.code, 2);
  r = cli({"gate", "--baseline", "x", "--frobnicate"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "romharness gate: unknown option '--frobnicate' (see romharness gate --help)\n");
}

TEST(ReportOptions, EachAction) {
  auto p = parse({"report", "--compare", "A", "B", "--db=h.sqlite"});
  EXPECT_EQ(p->options.report.compare, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(p->options.report.db, "h.sqlite");
  p = parse({"report", "--list"});
  EXPECT_TRUE(p->options.report.list);
  EXPECT_EQ(p->options.report.db, kDefaultHistoryPath);
  p = parse({"report", "--import", "a.json", "b.json"});
  EXPECT_EQ(p->options.report.import, (std::vector<std::string>{"a.json", "b.json"}));
  p = parse({"report", "--merge", "s/1/r", "s/2/r", "--out=merged"});
  EXPECT_EQ(p->options.report.merge, (std::vector<std::filesystem::path>{"s/1/r", "s/2/r"}));
  EXPECT_EQ(p->options.report.out, "merged");
}

TEST(ReportOptions, OneActionWithItsValues) {
  auto r = cli({"report", "--compare", "A"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("romharness report: "));
  r = cli({"report", "--list", "--import", "a.json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("excludes"));
  r = cli({"report"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "romharness: report: say what to do, one of: --compare A B, --list, --import FILE... "
            "or --merge DIR... --out DIR\n");
}

}  // namespace
}  // namespace rh
