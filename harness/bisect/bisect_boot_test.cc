// Real boots: a bisection of the synthetic iPXE history (bisect_test_repo.h)
// that builds each tested commit through the ROM builder and boots it under
// QEMU (TCG) on the qemu backend, as `romharness bisect` does.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "harness/bisect/bisect.h"
#include "harness/bisect/bisect_report.h"
#include "harness/bisect/bisect_test_repo.h"
#include "harness/core/testing/temp_dir.h"

namespace rh {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;

TEST(BisectBootTest, NamesTheCommitWhoseRomNoLongerBootsWithinLog2PlusOneBuilds) {
  if (!fs::exists(testing::kVmxnet3Rom) || !fs::exists(testing::kE1000Rom)) {
    GTEST_SKIP() << "needs Debian's ipxe-qemu ROMs (ci/setup installs them)";
  }
  testing::TempDir tmp;
  const testing::SyntheticIpxeRepo repo(tmp.path() / "ipxe");
  BisectOptions o{
      .scenario = fs::path(RH_SOURCE_DIR) / "harness/bisect/testdata/hello-vmxnet3.yaml",
      .ipxe_src = repo.top().string(),
      .good = repo.commits().front(),
      .bad = repo.commits().back(),
      .output_dir = tmp.path() / "out",
      .variants = fs::path(RH_SOURCE_DIR) / "rom-builds/vmware.yaml",
      .cache_dir = tmp.path() / "cache",
      .backend = "qemu",
      .backend_options = {.accel = "tcg"}};
  std::ostringstream progress;
  const BisectResult r = run_bisect(o, progress);
  std::cerr << progress.str();
  print_bisect_table(r, std::cerr);

  ASSERT_TRUE(r.found) << r.reason;
  EXPECT_EQ(r.first_bad.hash, repo.commits()[testing::kFirstBootBad]);
  const auto limit = static_cast<int>(std::ceil(std::log2(double(testing::kRepoCandidates)))) + 1;
  EXPECT_LE(r.builds, limit);
  std::vector<std::string> verdicts;
  for (const auto& s : r.steps) verdicts.push_back(to_string(s.verdict));
  // 3 does not build (skip), 4 boots to the script, 5's ROM is never run.
  EXPECT_THAT(verdicts, ElementsAre("skip", "good", "bad"));
  EXPECT_EQ(r.steps[1].detail.substr(0, 4), "PASS");
  EXPECT_THAT(r.steps[2].detail, ::testing::HasSubstr("No bootable device"));
  EXPECT_TRUE(fs::exists(fs::path(r.steps[1].artifacts) / r.scenario / "serial.log"));
  EXPECT_EQ(bisect_exit_code(r), 0);

  write_bisect_json(r, o.output_dir);
  std::ifstream in(o.output_dir / "bisect.json");
  EXPECT_EQ(nlohmann::json::parse(in)["first_bad"]["hash"], r.first_bad.hash);
}

}  // namespace
}  // namespace rh
