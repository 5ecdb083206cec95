// Unit tests: the search over positions with a fake oracle, variant and
// verdict rules, input errors, and whole bisections of a synthetic iPXE
// history on ROM size and on a scripted fake VM (no emulator).
#include "harness/bisect/bisect.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "harness/bisect/bisect_report.h"
#include "harness/bisect/bisect_test_repo.h"
#include "harness/bisect/step.h"
#include "harness/bisect/target.h"
#include "harness/core/error.h"
#include "harness/core/testing/temp_dir.h"
#include "harness/rom/option_rom.h"
#include "harness/vm/fake/fake_backend.h"

namespace rh {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Kind = SearchOutcome::Kind;

const fs::path kVariants = fs::path(RH_SOURCE_DIR) / "rom-builds/vmware.yaml";
const fs::path kScenario = fs::path(RH_SOURCE_DIR) / "harness/bisect/testdata/hello-vmxnet3.yaml";

std::size_t log2_ceil(std::size_t n) {
  return static_cast<std::size_t>(std::ceil(std::log2(static_cast<double>(n))));
}

// A history that breaks at `first_bad` (1..n), with unbuildable `skipped` positions.
struct FakeOracle {
  std::size_t first_bad;
  std::set<std::size_t> skipped;
  std::vector<std::size_t> asked;
  StepVerdict operator()(std::size_t p) {
    asked.push_back(p);
    if (skipped.count(p) != 0) return StepVerdict::kSkip;
    return p >= first_bad ? StepVerdict::kBad : StepVerdict::kGood;
  }
};

TEST(BisectSearchTest, NamesEveryCommitWithinLog2PlusOneEvaluations) {
  for (std::size_t n = 1; n <= 70; ++n) {
    for (std::size_t k = 1; k <= n; ++k) {
      FakeOracle oracle{.first_bad = k};
      const SearchOutcome out = bisect_positions(n, std::ref(oracle));
      ASSERT_EQ(out.kind, Kind::kFound) << "n=" << n << " k=" << k;
      EXPECT_EQ(out.first_bad, k) << "n=" << n;
      EXPECT_FALSE(out.unverified);
      // n == 1: the one candidate and the good revision, both tested.
      EXPECT_LE(oracle.asked.size(), n == 1 ? 2 : log2_ceil(n) + 1) << "n=" << n << " k=" << k;
      EXPECT_EQ(std::set(oracle.asked.begin(), oracle.asked.end()).size(), oracle.asked.size())
          << "a position was tested twice, n=" << n << " k=" << k;
    }
  }
}

TEST(BisectSearchTest, ANamedCommitWasSeenBadAndItsParentGood) {
  FakeOracle oracle{.first_bad = 8};
  const SearchOutcome out = bisect_positions(8, std::ref(oracle));
  EXPECT_EQ(out.first_bad, 8u);
  EXPECT_THAT(oracle.asked, ::testing::Contains(8u));  // the bad revision itself
  EXPECT_THAT(oracle.asked, ::testing::Contains(7u));
  FakeOracle first{.first_bad = 1};
  bisect_positions(8, std::ref(first));
  EXPECT_THAT(first.asked, ::testing::Contains(0u));  // the good revision itself
}

// What git bisect answers with skips: the first bad commit if its parent is
// known good, else the skipped commits between the last good and the first
// bad one, and that bad one.
SearchOutcome git_answer(std::size_t n, const FakeOracle& o) {
  std::size_t last_good = 0;
  for (std::size_t p = 1; p < o.first_bad; ++p) {
    if (o.skipped.count(p) == 0) last_good = p;
  }
  std::size_t first_bad = n;
  for (std::size_t p = n - 1; p >= o.first_bad && p > 0; --p) {
    if (o.skipped.count(p) == 0) first_bad = p;
  }
  if (first_bad - last_good == 1) {
    return {.kind = Kind::kFound,
            .first_bad = first_bad,
            .unverified = o.skipped.count(first_bad) != 0 || o.skipped.count(last_good) != 0};
  }
  SearchOutcome out{.kind = Kind::kAmbiguous};
  for (std::size_t p = last_good + 1; p <= first_bad; ++p) out.range.push_back(p);
  return out;
}

TEST(BisectSearchTest, SkippedCommitsGiveGitsAnswerForEverySkipSet) {
  for (std::size_t n = 1; n <= 9; ++n) {
    for (unsigned mask = 0; mask < (1u << (n + 1)); ++mask) {  // positions 0..n, endpoints too
      for (std::size_t k = 1; k <= n; ++k) {
        FakeOracle oracle{.first_bad = k};
        for (std::size_t p = 0; p <= n; ++p) {
          if (mask & (1u << p)) oracle.skipped.insert(p);
        }
        const SearchOutcome want = git_answer(n, oracle);
        const SearchOutcome got = bisect_positions(n, std::ref(oracle));
        const std::string where = "n=" + std::to_string(n) + " k=" + std::to_string(k) +
                                  " skip mask=" + std::to_string(mask);
        ASSERT_EQ(got.kind, want.kind) << where;
        EXPECT_EQ(got.first_bad, want.first_bad) << where;
        EXPECT_EQ(got.range, want.range) << where;
        EXPECT_EQ(got.unverified, want.unverified) << where;
        if (got.kind == Kind::kAmbiguous) {
          EXPECT_THAT(got.range, ::testing::Contains(k)) << where;
        }
      }
    }
  }
}

TEST(BisectSearchTest, StepsAroundASkippedMiddle) {
  FakeOracle oracle{.first_bad = 5, .skipped = {3}};
  const SearchOutcome out = bisect_positions(7, std::ref(oracle));
  EXPECT_EQ(out.kind, Kind::kFound);
  EXPECT_EQ(out.first_bad, 5u);
  EXPECT_THAT(oracle.asked, ElementsAre(3u, 4u, 5u));
}

TEST(BisectSearchTest, EndpointsThatDisagreeEndTheSearch) {
  const auto all = [](StepVerdict v) { return [v](std::size_t) { return v; }; };
  EXPECT_EQ(bisect_positions(9, all(StepVerdict::kGood)).kind, Kind::kBadIsGood);
  EXPECT_EQ(bisect_positions(9, all(StepVerdict::kBad)).kind, Kind::kGoodIsBad);
  const SearchOutcome skipped = bisect_positions(4, all(StepVerdict::kSkip));
  EXPECT_EQ(skipped.kind, Kind::kAmbiguous);
  EXPECT_THAT(skipped.range, ElementsAre(1u, 2u, 3u, 4u));
}

TEST(BisectStepTest, VerdictsAsTheRunCountsThem) {
  EXPECT_EQ(step_verdict(Verdict::kPass), StepVerdict::kGood);
  EXPECT_EQ(step_verdict(Verdict::kXFail), StepVerdict::kGood);
  EXPECT_EQ(step_verdict(Verdict::kFail), StepVerdict::kBad);
  EXPECT_EQ(step_verdict(Verdict::kTimeout), StepVerdict::kBad);
  EXPECT_EQ(step_verdict(Verdict::kXPass), StepVerdict::kBad);
  EXPECT_EQ(step_verdict(Verdict::kUnresolved), StepVerdict::kSkip);
  EXPECT_EQ(step_verdict(Verdict::kUnsupported), StepVerdict::kSkip);
  using V = StepVerdict;
  EXPECT_EQ(combine_verdicts({V::kGood, V::kGood}), V::kGood);
  EXPECT_EQ(combine_verdicts({V::kGood, V::kSkip, V::kBad}), V::kBad);
  EXPECT_EQ(combine_verdicts({V::kGood, V::kSkip}), V::kSkip);
  EXPECT_EQ(combine_verdicts({}), V::kSkip);
}

TEST(BisectTargetTest, ParsesVariants) {
  const VariantRef full = parse_variant("vmware-min/vmxnet3/bios");
  EXPECT_EQ(full.variant, "vmware-min");
  EXPECT_EQ(full.nic, "vmxnet3");
  EXPECT_EQ(full.firmware, "bios");
  EXPECT_EQ(parse_variant("vmware-min").nic, "");
  EXPECT_EQ(parse_variant("").variant, "");
  for (const char* bad : {"a//bios", "a/b/c/d", "/x", "a/"}) {
    try {
      parse_variant(bad);
      ADD_FAILURE() << "no error for '" << bad << "'";
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()),
                "variant must be SET[/NIC[/PLATFORM]], e.g. vmware-min/vmxnet3/bios, got '" +
                    std::string(bad) + "'");
    }
  }
}

TEST(BisectTargetTest, PicksTheScenarioRowAndItsVariant) {
  const BisectTarget t = pick_target(kScenario, "", false, kVariants);
  EXPECT_EQ(t.label(), "vmware-min/vmxnet3/bios");
  ASSERT_TRUE(t.scenario);
  EXPECT_EQ(t.scenario->name, "testdata/bisect-hello/vmxnet3-bios");
  EXPECT_EQ(pick_target(kScenario, "vmware-dns", false, kVariants).label(),
            "vmware-dns/vmxnet3/bios");
  EXPECT_FALSE(pick_target({}, "vmware-min/e1000e/efi", true, kVariants).scenario);
}

TEST(BisectTargetTest, RejectsWhatDoesNotAddUp) {
  const fs::path smoke = fs::path(RH_SOURCE_DIR) / "scenarios/smoke/dhcp-linux-bios.yaml";
  const std::vector<std::pair<std::function<void()>, std::string>> cases = {
      {[&] { pick_target(kScenario, "vmware-min/e1000e", false, kVariants); },
       "variant 'vmware-min/e1000e' selects none of the scenarios in '" + kScenario.string() +
           "' (testdata/bisect-hello/vmxnet3-bios)"},
      {[&] { pick_target(smoke, "", false, kVariants); },
       "'" + smoke.string() +
           "' has 3 scenarios here (smoke/dhcp-linux/vmxnet3-bios, smoke/dhcp-linux/e1000-bios, "
           "smoke/dhcp-linux/e1000e-bios); pick one with a variant SET/NIC/PLATFORM"},
      {[&] { pick_target(smoke, "vmware-min/e1000", false, kVariants); },
       "variant 'vmware-min' in '" + kVariants.string() +
           "' has no NIC 'e1000' on platform 'bios'"},
      {[&] { pick_target({}, "vmware-min", false, kVariants); },
       "bisect needs a scenario file to boot (or a size budget)"},
      {[&] { pick_target({}, "vmware-min/vmxnet3", true, kVariants); },
       "without a scenario file, the variant must be SET/NIC/PLATFORM, got 'vmware-min/vmxnet3'"},
  };
  for (const auto& [call, message] : cases) {
    try {
      call();
      ADD_FAILURE() << "no error; wanted: " << message;
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()), message);
    }
  }
  // A row that boots a file ROM, without a variant to build in its place.
  try {
    pick_target(fs::path(RH_SOURCE_DIR) / "scenarios/smoke/wrong-nic-rom.yaml", "", false,
                kVariants);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(std::string(e.what()),
                HasSubstr("boots the ROM file '/usr/lib/ipxe/qemu/pxe-e1000.rom', not a variant"));
  }
}

// A synthetic repository, a private cache and an output directory per test.
class BisectRunTest : public ::testing::Test {
 protected:
  BisectOptions size_options() const {
    return {.ipxe_src = repo.top().string(),
            .good = repo.commits().front(),
            .bad = "HEAD",
            .variant = "vmware-min/vmxnet3/bios",
            .budget_bytes = testing::SyntheticIpxeRepo::budget(),
            .output_dir = tmp.path() / "out",
            .variants = kVariants,
            .cache_dir = tmp.path() / "cache"};
  }
  std::string input_error(const BisectOptions& o) {
    std::ostringstream progress;
    try {
      run_bisect(o, progress);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no InputError";
  }

  testing::TempDir tmp;
  testing::SyntheticIpxeRepo repo{tmp.path() / "ipxe"};
};

TEST_F(BisectRunTest, SizeBudgetNamesThePaddingCommitAndBuildsEachCommitOnce) {
  std::ostringstream progress;
  const BisectResult r = run_bisect(size_options(), progress);
  ASSERT_TRUE(r.found) << r.reason << "\n" << progress.str();
  EXPECT_EQ(r.first_bad.hash, repo.commits()[testing::kFirstOverBudget]);
  EXPECT_EQ(r.first_bad.subject, "rom: 4 KiB of padding");
  EXPECT_THAT(r.first_bad.author_date, ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T.*"));
  EXPECT_EQ(r.mode, "size");
  EXPECT_EQ(r.range, testing::kRepoCandidates);
  EXPECT_LE(r.steps.size(), log2_ceil(testing::kRepoCandidates) + 1);
  EXPECT_EQ(r.builds, static_cast<int>(r.steps.size()));
  EXPECT_EQ(r.steps.front().position, testing::kBrokenBuild);
  EXPECT_EQ(r.steps.front().verdict, StepVerdict::kSkip);
  EXPECT_EQ(r.steps.front().detail,
            "build failed: make for vmware-min/bios failed (exit status 2): "
            "core/x.c:1:1: error: unknown type name");
  EXPECT_TRUE(fs::exists(tmp.path() / "out/steps" / ("1-" + r.steps.front().commit.short_hash()) /
                         "build-error.txt"));
  EXPECT_EQ(bisect_exit_code(r), 0);
  // The user's tree was only read: no build output, nothing changed.
  EXPECT_EQ(repo.git({"status", "--porcelain", "--untracked-files=all"}), "");
  EXPECT_FALSE(fs::exists(repo.top() / "src/bin"));

  // Again: every ROM comes from the cache; only the commit that fails to build runs make.
  const BisectResult again = run_bisect(size_options(), progress);
  EXPECT_EQ(again.first_bad.hash, r.first_bad.hash);
  EXPECT_EQ(again.builds, 1);
}

TEST_F(BisectRunTest, AGitUrlIsBisectedInOurOwnClone) {
  BisectOptions o = size_options();
  o.ipxe_src = "file://" + repo.top().string();
  std::ostringstream progress;
  const BisectResult r = run_bisect(o, progress);
  ASSERT_TRUE(r.found) << r.reason << "\n" << progress.str();
  EXPECT_EQ(r.first_bad.hash, repo.commits()[testing::kFirstOverBudget]);
  EXPECT_EQ(r.source, o.ipxe_src);
  EXPECT_TRUE(fs::exists(tmp.path() / "cache/src"));
}

TEST_F(BisectRunTest, AnInterruptedBisectStopsBeforeTheNextStep) {
  const std::atomic<bool> interrupted{true};
  BisectOptions o = size_options();
  o.interrupted = &interrupted;
  std::ostringstream progress;
  const BisectResult r = run_bisect(o, progress);
  EXPECT_TRUE(r.interrupted);
  EXPECT_FALSE(r.found);
  EXPECT_TRUE(r.steps.empty());
  EXPECT_EQ(r.reason, "interrupted after 0 steps");
  EXPECT_EQ(bisect_exit_code(r), 130);
}

TEST_F(BisectRunTest, ABudgetEveryCommitFitsIsNotFound) {
  BisectOptions o = size_options();
  o.budget_bytes = 1 << 20;
  std::ostringstream progress;
  const BisectResult r = run_bisect(o, progress);
  EXPECT_FALSE(r.found);
  EXPECT_EQ(r.reason, "bad revision " + repo.commits().back().substr(0, 12) +
                          " tested good: nothing broke between " +
                          repo.commits().front().substr(0, 12) + " and " +
                          repo.commits().back().substr(0, 12));
  EXPECT_EQ(bisect_exit_code(r), 1);
}

TEST_F(BisectRunTest, OnlySkippedCommitsLeftListsTheSuspects) {
  // Between good 2 and bad 4 only the broken commit 3 is left to test.
  BisectOptions o = size_options();
  o.good = repo.commits()[2];
  o.bad = repo.commits()[4];
  o.budget_bytes = 1000;  // 4 is over it (2 is assumed good: never tested, as git does)
  std::ostringstream progress;
  const BisectResult r = run_bisect(o, progress);
  EXPECT_FALSE(r.found);
  EXPECT_THAT(r.reason, HasSubstr("only skipped commits are left to test"));
  ASSERT_EQ(r.suspects.size(), 2u);
  EXPECT_EQ(r.suspects[0].hash, repo.commits()[3]);
  EXPECT_EQ(r.suspects[1].hash, repo.commits()[4]);
  std::ostringstream table;
  print_bisect_table(r, table);
  EXPECT_THAT(table.str(), HasSubstr("first bad commit not found: only skipped commits"));
  EXPECT_THAT(table.str(), HasSubstr(repo.commits()[3] + " make: a compiler error ("));
}

TEST_F(BisectRunTest, BadInputIsAnInputErrorThatSaysWhy) {
  const std::string good = repo.commits().front().substr(0, 12);
  const std::string bad = repo.commits().back().substr(0, 12);
  BisectOptions o = size_options();
  o.good = "v9.9";
  EXPECT_EQ(input_error(o),
            "good revision 'v9.9' is not a commit in '" + repo.top().string() + "'");
  o = size_options();
  o.good = "HEAD";
  o.bad = repo.commits().front();
  EXPECT_EQ(input_error(o), "good revision " + bad + " is not an ancestor of bad revision " + good +
                                " in '" + repo.top().string() +
                                "': bisect looks for the commit between them that broke it");
  o = size_options();
  o.good = "HEAD";
  EXPECT_EQ(input_error(o),
            "good and bad revisions are the same commit " + bad + ": nothing to bisect");
  o = size_options();
  o.ipxe_src = repo.top().string() + "@HEAD";
  EXPECT_EQ(input_error(o), "iPXE source '" + o.ipxe_src +
                                "' names a revision: give the tree alone, and the revisions as "
                                "good and bad");
  o = size_options();
  o.ipxe_src = (tmp.path() / "plain").string();
  fs::create_directories(tmp.path() / "plain/src");
  std::ofstream touch(tmp.path() / "plain/src/Makefile.housekeeping");
  EXPECT_EQ(input_error(o),
            "iPXE source '" + o.ipxe_src + "' is not a git tree: bisect needs its history");
  o = size_options();
  o.run.repeat = 0;
  EXPECT_EQ(input_error(o), "bisect --repeat must be at least 1, got 0");
}

// The fake guest does what SeaBIOS does: it runs the ROM only when its PCI
// ids are the NIC's (vmxnet3, 15ad:07b0), else finds nothing to boot.
FakeScript seabios_like(const BootPlan& plan) {
  FakeScript script;
  script.console("SeaBIOS (version 1.16.2)\n");
  const OptionRom rom = read_option_rom(plan.rom);
  if (rom.images.front().vendor_id != 0x15ad) return script.console("No bootable device.\n");
  return script.console("iPXE (PCI 00:03.0) starting execution...\n")
      .http("GET", "/boot.ipxe")
      .console("ROMHARNESS-IPXE-HELLO pcbios i386 10.0.2.15\n")
      .exit("exit status 0");
}

TEST_F(BisectRunTest, BootBisectOnAFakeGuestNamesTheCommitThatBrokeIt) {
  FakeBackend backend(&seabios_like);
  BisectOptions o = size_options();
  o.budget_bytes.reset();
  o.variant.clear();
  o.scenario = kScenario;
  o.vm_backend = &backend;
  o.run.repeat = 2;
  std::ostringstream progress;
  const BisectResult r = run_bisect(o, progress);
  ASSERT_TRUE(r.found) << r.reason << "\n" << progress.str();
  EXPECT_EQ(r.first_bad.hash, repo.commits()[testing::kFirstBootBad]);
  EXPECT_EQ(r.mode, "boot");
  EXPECT_EQ(r.scenario, "testdata/bisect-hello/vmxnet3-bios");
  EXPECT_LE(r.builds, static_cast<int>(log2_ceil(testing::kRepoCandidates)) + 1);
  std::vector<std::string> details;
  for (const auto& s : r.steps)
    details.push_back(to_string(s.verdict) + " " + s.detail.substr(0, 4));
  // 3 does not build; 4 boots twice; 5 fails on its first boot, so it is not booted again.
  EXPECT_THAT(details, ElementsAre("skip buil", "good PASS", "bad FAIL"));
  EXPECT_EQ(backend.started_plans().size(), 3u);
  EXPECT_THAT(r.steps[2].detail, HasSubstr("No bootable device"));
  EXPECT_TRUE(fs::exists(fs::path(r.steps[1].artifacts) / r.scenario / "attempt-2"));

  write_bisect_json(r, o.output_dir);
  std::ifstream in(o.output_dir / "bisect.json");
  const auto json = nlohmann::json::parse(in);
  EXPECT_EQ(json["first_bad"]["hash"], repo.commits()[testing::kFirstBootBad]);
  EXPECT_EQ(json["steps"].size(), 3u);
  EXPECT_EQ(json["steps"][1]["verdict"], "good");
  EXPECT_EQ(json["builds"], r.builds);
  std::ostringstream table;
  print_bisect_table(r, table);
  EXPECT_THAT(table.str(), HasSubstr("first bad commit: " + repo.commits()[testing::kFirstBootBad] +
                                     " driver: the e1000 image in its place ("));
}

}  // namespace
}  // namespace rh
