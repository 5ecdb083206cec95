#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/cli/parse_for_test.h"

namespace rh {
namespace {
namespace fs = std::filesystem;
using testing::cli;
using ::testing::HasSubstr;
using testing::parse;

const std::string kRomFile = RH_SOURCE_DIR "/harness/cli/testdata/missing-rom.yaml";

TEST(RunOptions, ReadsTheIssueExample) {
  const auto p = parse({"run", "scenarios", "-j2", "--accel=tcg", "--retries", "1", "--shard",
                        "2/3", "--run-id=nightly-42"});
  const RunOptions& o = p->options.run;
  EXPECT_EQ(o.paths, std::vector<fs::path>{"scenarios"});
  EXPECT_EQ(o.jobs, 2);
  EXPECT_EQ(o.backend_options.accel, "tcg");
  EXPECT_EQ(o.retries, 1);
  ASSERT_TRUE(o.shard.has_value());
  EXPECT_EQ(o.shard->index, 2);
  EXPECT_EQ(o.shard->total, 3);
  EXPECT_EQ(o.run_id, "nightly-42");
  EXPECT_TRUE(p->options.command);
}

TEST(RunOptions, DefaultsAreTodays) {
  const auto p = parse({"run"});
  const RunOptions& o = p->options.run;
  EXPECT_EQ(o.paths, std::vector<fs::path>{"scenarios/smoke"});
  EXPECT_EQ(o.jobs, 1);
  EXPECT_EQ(o.repeat, 1);
  EXPECT_EQ(o.retries, 0);
  EXPECT_FALSE(o.allow_flaky);
  EXPECT_FALSE(o.feature_cost);
  EXPECT_EQ(o.report_root, "reports");
  EXPECT_EQ(o.history, fs::path("reports") / "history.sqlite");
  EXPECT_EQ(o.backend, "qemu");
  EXPECT_EQ(o.backend_options.accel, "auto");
  EXPECT_EQ(o.payload.filename(), "current");
  EXPECT_FALSE(o.shard.has_value());
  EXPECT_TRUE(o.rom_files.empty());
}

TEST(RunOptions, ValueForms) {
  EXPECT_EQ(parse({"run", "-j", "2"})->options.run.jobs, 2);
  EXPECT_EQ(parse({"run", "--jobs=3"})->options.run.jobs, 3);
  EXPECT_EQ(parse({"run", "--repeat=5"})->options.run.repeat, 5);
  EXPECT_EQ(parse({"run", "--filter", "smoke/*"})->options.run.filter, "smoke/*");
}

TEST(RunOptions, EveryOtherOption) {
  const auto p = parse({"run",
                        "a.yaml",
                        "--backend",
                        "libvirt",
                        "--connect",
                        "qemu:///session",
                        "--hosts",
                        "hosts.yaml",
                        "--lab=lab.yaml",
                        "--server-bind",
                        "0.0.0.0",
                        "--server-advertise",
                        "192.0.2.1",
                        "--qemu",
                        "/q",
                        "--payload",
                        "/p",
                        "--ipxe-src",
                        "/src",
                        "--report-dir",
                        "out",
                        "--allow-flaky",
                        "--feature-cost",
                        "b.yaml"});
  const RunOptions& o = p->options.run;
  EXPECT_EQ(o.paths, (std::vector<fs::path>{"a.yaml", "b.yaml"}));
  EXPECT_EQ(o.backend, "libvirt");
  EXPECT_EQ(o.backend_options.connect, "qemu:///session");
  EXPECT_EQ(o.backend_options.hosts_file, "hosts.yaml");
  EXPECT_EQ(o.backend_options.lab_file, "lab.yaml");
  EXPECT_EQ(o.backend_options.server_bind, "0.0.0.0");
  EXPECT_EQ(o.backend_options.server_advertise, "192.0.2.1");
  EXPECT_EQ(o.backend_options.qemu, "/q");
  EXPECT_EQ(o.payload, "/p");
  EXPECT_EQ(o.ipxe_src, "/src");
  EXPECT_EQ(o.history, fs::path("out") / "history.sqlite");  // follows --report-dir
  EXPECT_TRUE(o.allow_flaky);
  EXPECT_TRUE(o.feature_cost);
}

TEST(RunOptions, RomIsRepeatableAndTakesOneValueEach) {
  const auto p = parse(
      {"run", "--rom", "min/vmxnet3=" + kRomFile, "--rom=full=" + kRomFile, "scenarios/smoke"});
  const RunOptions& o = p->options.run;
  EXPECT_EQ(o.rom_files.at("min/vmxnet3"), kRomFile);
  EXPECT_EQ(o.rom_files.at("full"), kRomFile);
  EXPECT_EQ(o.paths, std::vector<fs::path>{"scenarios/smoke"});
}

TEST(RunOptions, BadValuesExitTwoNamingThem) {
  auto r = cli({"run", "--rom", "novalue"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "romharness: --rom needs VARIANT[/NIC]=FILE, got 'novalue'\n");
  r = cli({"run", "--rom", "v=/nonexistent.rom"});
  EXPECT_EQ(r.err, "romharness: --rom 'v=/nonexistent.rom': file '/nonexistent.rom' not found\n");
  r = cli({"run", "--accel", "fast"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("romharness run: --accel: fast not in {auto,tcg,kvm}"));
  r = cli({"run", "-j", "many"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("romharness run: "));
  EXPECT_THAT(r.err, HasSubstr("many"));
  r = cli({"run", "--backend", "xen"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("xen not in {qemu,libvirt,vsphere}"));
  for (const char* shard : {"0/3", "4/3", "2", "a/b", "2/3/4", "-1/2"}) {
    r = cli({"run", "--shard", shard});
    EXPECT_EQ(r.code, 2) << shard;
    EXPECT_EQ(r.err, "romharness: --shard: '" + std::string(shard) +
                         "' is not a shard I/N with 1 <= I <= N (e.g. --shard 2/3)\n");
  }
}

TEST(RunOptions, RunTimeoutIsADurationCheckedAgainstEveryScenarioAtLoad) {
  EXPECT_EQ(parse({"run", "--run-timeout", "45m"})->options.run.run_timeout,
            std::chrono::milliseconds(45 * 60 * 1000));
  EXPECT_FALSE(parse({"run"})->options.run.run_timeout.has_value());
  auto r = cli({"run", "--run-timeout", "soon"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--run-timeout: bad duration 'soon'"));
  // Nothing boots: the smoke file's scenarios may each take longer than 10 s.
  const std::string smoke = RH_SOURCE_DIR "/scenarios/smoke/dhcp-linux-bios.yaml";
  r = cli({"run", smoke, "--run-timeout", "10s", "--report-dir", ::testing::TempDir()});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("dhcp-linux-bios.yaml:"));
  EXPECT_THAT(r.err, HasSubstr("is longer than the run's timeout 10s"));
}

TEST(ReproOptions, SharesRunsOptions) {
  const auto p = parse({"repro", "s.yaml", "--accel", "tcg", "-j2", "--filter", "*e1000e*", "--rom",
                        "v=" + kRomFile, "--backend=libvirt", "--shard", "1/1"});
  const RunOptions& o = p->options.repro;
  EXPECT_EQ(o.paths, std::vector<fs::path>{"s.yaml"});
  EXPECT_EQ(o.backend_options.accel, "tcg");
  EXPECT_EQ(o.jobs, 2);
  EXPECT_EQ(o.filter, "*e1000e*");
  EXPECT_EQ(o.rom_files.at("v"), kRomFile);
  EXPECT_EQ(o.backend, "libvirt");
  EXPECT_TRUE(o.shard.has_value());
}

TEST(ReproOptions, NeedsAScenario) {
  const auto r = cli({"repro"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("romharness repro: paths is required"));
}

TEST(ListOptions, PathsAndFilter) {
  const auto p = parse({"list", "scenarios", "--filter=*x*"});
  EXPECT_EQ(p->options.list.paths, std::vector<fs::path>{"scenarios"});
  EXPECT_EQ(p->options.list.filter, "*x*");
  EXPECT_EQ(parse({"list"})->options.list.paths, std::vector<fs::path>{"scenarios/smoke"});
}

}  // namespace
}  // namespace rh
