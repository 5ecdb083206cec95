#include "harness/rom/builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "harness/core/error.h"
#include "harness/core/process.h"
#include "harness/rom/option_rom.h"

namespace rh {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const fs::path kVariants = fs::path(RH_SOURCE_DIR) / "rom-builds/vmware.yaml";

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// A scratch directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("rh_builder_test_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// A stand-in for an iPXE tree whose make "builds" ROMs by copying Debian's,
// or fails like a compiler when `broken` is set. It exercises copies, config
// headers, the cache and failure reports without iPXE's 2-minute builds.
fs::path fake_ipxe_tree(const fs::path& top, bool broken = false) {
  write(top / "src/Makefile.housekeeping", "");
  for (const char* h : {"general.h", "console.h", "settings.h"}) write(top / "src/config" / h, "");
  write(top / "src/config/local/.gitignore", "*\n!.gitignore\n");
  write(top / "src/bin/stale.o", "build output that must not be copied");
  write(top / "src/broken.c", "int main(void) { return undeclared_thing; }\n");
  const std::string rule =
      broken ? "\tgcc -c broken.c -o broken.o\n"
             : "\ttest -s config/local/settings.h\n\ttest ! -e bin/stale.o\n"
               "\t@echo \"compiler: $(CC), CCACHE_NOHASHDIR=$$CCACHE_NOHASHDIR\"\n"
               // iPXE before 2025 asks git for the build time when GITVERSION is set.
               "\ttest -z \"$(GITVERSION)\" || test -n \"$(SOURCE_DATE_EPOCH)\"\n"
               "\t@echo \"stamp: $(GITVERSION) at $(SOURCE_DATE_EPOCH)\"\n"
               "\tmkdir -p $(dir $@) && cp /usr/lib/ipxe/qemu/pxe-vmxnet3.rom $@\n";
  write(top / "src/Makefile", "bin/%.rom bin/%.mrom bin-x86_64-efi/%.efirom:\n" + rule);
  return top;
}

void git_init(const fs::path& top) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"git", "-C", top.string(), "init", "-q"},
           {"git", "-C", top.string(), "add", "."},
           {"git", "-C", top.string(), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q",
            "-m", "fake ipxe"}}) {
    ASSERT_TRUE(run_command(args, std::chrono::seconds(30)).status.ok()) << shell_quote(args);
  }
}

BuildContext fake_context(const fs::path& top, const fs::path& cache) {
  return {.ipxe_src = top.string(), .cache_dir = cache, .variants = kVariants, .jobs = 2};
}

TEST(IpxeSourceTest, NotAnIpxeTree) {
  TempDir dir;
  try {
    resolve_ipxe_source(dir.path().string(), dir.path());
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "'" + dir.path().string() +
                  "' is not an iPXE tree (no src/Makefile.housekeeping in '" + dir.path().string() +
                  "')");
  }
}

TEST(IpxeSourceTest, PlainTreeIsKeyedByContent) {
  TempDir dir;
  const fs::path top = fake_ipxe_tree(dir.path() / "ipxe");
  const IpxeSource a = resolve_ipxe_source(top.string(), dir.path());
  EXPECT_THAT(a.key, StartsWith("tree-"));
  EXPECT_EQ(a.src_dir, top / "src");
  EXPECT_EQ(resolve_ipxe_source((top / "src").string(), dir.path()).key, a.key);
  write(top / "src/bin/other.o", "x");  // build output does not count
  EXPECT_EQ(resolve_ipxe_source(top.string(), dir.path()).key, a.key);
  write(top / "src/core/new.c", "int x;");
  EXPECT_NE(resolve_ipxe_source(top.string(), dir.path()).key, a.key);
}

TEST(IpxeSourceTest, GitTreeIsKeyedByCommitAndDirtyState) {
  TempDir dir;
  const fs::path top = fake_ipxe_tree(dir.path() / "ipxe");
  git_init(top);
  const IpxeSource clean = resolve_ipxe_source(top.string(), dir.path());
  EXPECT_EQ(clean.key.size(), 40u);
  EXPECT_FALSE(clean.dirty);
  EXPECT_EQ(clean.provenance(), clean.commit);
  write(top / "src/broken.c", "int changed;\n");
  const IpxeSource dirty = resolve_ipxe_source(top.string(), dir.path());
  EXPECT_TRUE(dirty.dirty);
  EXPECT_EQ(dirty.key.substr(0, 47), clean.commit + "-dirty-");
  EXPECT_EQ(dirty.provenance(), clean.commit + "-dirty");
}

TEST(IpxeSourceTest, GitUrlAtRef) {
  TempDir dir;
  const fs::path top = fake_ipxe_tree(dir.path() / "ipxe");
  git_init(top);
  const std::string commit = resolve_ipxe_source(top.string(), dir.path()).commit;
  const IpxeSource url =
      resolve_ipxe_source("file://" + top.string() + "@" + commit, dir.path() / "cache");
  EXPECT_EQ(url.commit, commit);
  EXPECT_TRUE(fs::exists(url.git_dir / "HEAD"));
  copy_source(url, dir.path() / "copy");
  EXPECT_TRUE(fs::exists(dir.path() / "copy/src/Makefile"));
  try {
    resolve_ipxe_source("file://" + top.string() + "@no-such-branch", dir.path() / "cache");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "iPXE source 'file://" + top.string() +
                  "@no-such-branch': no commit 'no-such-branch' in 'file://" + top.string() + "'");
  }
}

TEST(IpxeSourceTest, LocalTreeAtRevIsExportedFromItsRepository) {
  TempDir dir;
  const fs::path top = fake_ipxe_tree(dir.path() / "ipxe");
  git_init(top);
  const std::string first = resolve_ipxe_source(top.string(), dir.path()).commit;
  write(top / "src/broken.c", "int second;\n");
  ASSERT_TRUE(run_command({"git", "-C", top.string(), "-c", "user.name=t", "-c", "user.email=t@t",
                           "commit", "-qam", "second"},
                          std::chrono::seconds(30))
                  .status.ok());
  write(top / "src/broken.c", "int uncommitted;\n");  // the working tree does not count

  const IpxeSource at = resolve_ipxe_source(top.string() + "@" + first, dir.path());
  EXPECT_EQ(at.commit, first);
  EXPECT_EQ(at.key, first);
  EXPECT_FALSE(at.dirty);
  EXPECT_TRUE(at.src_dir.empty());
  EXPECT_EQ(resolve_ipxe_source(top.string() + "@HEAD~1", dir.path()).commit, first);
  copy_source(at, dir.path() / "copy");
  std::ifstream in(dir.path() / "copy/src/broken.c");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_THAT(text.str(), HasSubstr("undeclared_thing"));
  try {
    resolve_ipxe_source(top.string() + "@no-such-rev", dir.path());
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "iPXE source '" + top.string() +
                                         "@no-such-rev': no commit 'no-such-rev' in '" +
                                         top.string() + "'");
  }
}

TEST(IpxeSourceTest, PlainTreeHasNoRevisions) {
  TempDir dir;
  const fs::path top = fake_ipxe_tree(dir.path() / "ipxe");
  try {
    resolve_ipxe_source(top.string() + "@HEAD", dir.path());
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "iPXE source '" + top.string() + "@HEAD': '" + top.string() +
                                         "' is not a git tree, so it has no 'HEAD'");
  }
}

TEST(RomBuilderTest, BuildsIntoCacheThenHits) {
  TempDir dir;
  const fs::path top = fake_ipxe_tree(dir.path() / "ipxe");
  RomBuilder builder(fake_context(top, dir.path() / "cache"));
  const auto requests = builder.requests({"vmware-min"}, {"vmxnet3"}, {}, false);
  ASSERT_EQ(requests.size(), 2u);  // bios and efi
  const BuildResult first = builder.build(requests);
  ASSERT_TRUE(first.ok()) << first.failures.front().message;
  ASSERT_EQ(first.roms.size(), 2u);
  for (const auto& rom : first.roms) {
    EXPECT_FALSE(rom.cache_hit);
    EXPECT_EQ(rom.size, 74240u);
    EXPECT_THAT(rom.path.string(), StartsWith((dir.path() / "cache/roms/").string()));
    EXPECT_TRUE(fs::exists(rom.path.parent_path() / "build.log"));
    EXPECT_THAT(rom.provenance.at("ipxe_commit"), StartsWith("tree-"));
    EXPECT_EQ(rom.provenance.at("compiler"), compiler_version());
    EXPECT_EQ(rom.provenance.at("config_hash").size(), 64u);
    EXPECT_EQ(rom.provenance.at("built_at").size(), 20u);
    EXPECT_EQ(read_option_rom(rom.path).images[0].id(), "15ad:07b0");
  }
  EXPECT_FALSE(fs::exists(top / "src/config/local/settings.h"));  // user's tree untouched
  const BuildResult second = builder.build(requests);
  ASSERT_EQ(second.roms.size(), 2u);
  EXPECT_TRUE(second.roms[0].cache_hit);
  EXPECT_EQ(second.roms[0].provenance, first.roms[0].provenance);
}

// Builds vmware-min/vmxnet3/bios from `top` and returns its build.log.
std::string vmware_min_build_log(const fs::path& top, const fs::path& cache) {
  RomBuilder builder(fake_context(top, cache));
  const BuildResult built =
      builder.build(builder.requests({"vmware-min"}, {"vmxnet3"}, {"bios"}, false));
  EXPECT_TRUE(built.ok()) << built.failures.front().message;
  if (built.roms.empty()) return "";
  std::ifstream in(built.roms.at(0).path.parent_path() / "build.log");
  std::stringstream log;
  log << in.rdbuf();
  return log.str();
}

// ci/setup installs ccache; without it the builds run plain gcc.
TEST(RomBuilderTest, CompilesThroughCcacheWithoutHashingTheCopysDirectory) {
  ASSERT_FALSE(find_in_path("ccache").empty()) << "ccache is not installed (ci/setup installs it)";
  TempDir dir;
  const fs::path top = fake_ipxe_tree(dir.path() / "ipxe");
  const std::string log = vmware_min_build_log(top, dir.path() / "cache");
  EXPECT_THAT(log, HasSubstr("compiler: ccache gcc, CCACHE_NOHASHDIR=1\n"));
}

TEST(RomBuilderTest, AGitCommitIsBuiltWithItsOwnTimeAsSourceDateEpoch) {
  TempDir dir;
  const fs::path top = fake_ipxe_tree(dir.path() / "ipxe");
  git_init(top);
  const CommandOutput time = run_command(
      {"git", "-C", top.string(), "log", "-1", "--format=%H at %ct"}, std::chrono::seconds(30));
  const std::string log = vmware_min_build_log(top, dir.path() / "cache");
  EXPECT_THAT(log, HasSubstr("stamp: " + time.out));
}

// The line of a build.log that starts with `prefix`.
std::string log_line(const std::string& log, const std::string& prefix) {
  const auto at = log.find("\n" + prefix);
  return at == std::string::npos ? "" : log.substr(at + 1, log.find('\n', at + 1) - at - 1);
}

TEST(RomBuilderTest, ANeighbouringCommitBuildsInTheSameTreeWritingOnlyWhatChanged) {
  TempDir dir;
  const fs::path top = fake_ipxe_tree(dir.path() / "ipxe");
  write(top / "src/core/a.c", "int a;\n");
  git_init(top);
  const std::string first = vmware_min_build_log(top, dir.path() / "cache");
  write(top / "src/core/a.c", "int a = 1;\n");
  ASSERT_TRUE(run_command({"git", "-C", top.string(), "-c", "user.name=t", "-c", "user.email=t@t",
                           "commit", "-qam", "next"},
                          std::chrono::seconds(30))
                  .status.ok());
  const std::string second = vmware_min_build_log(top, dir.path() / "cache");
  EXPECT_EQ(log_line(second, "in: "), log_line(first, "in: "));
  EXPECT_THAT(log_line(first, "in: "), HasSubstr((dir.path() / "cache/rom-trees/bios-").string()));
  EXPECT_THAT(log_line(second, "tree: "), StartsWith("tree: 1 files written, 0 removed"));
}

TEST(RomBuilderTest, MakeFailureShowsCompilerErrors) {
  TempDir dir;
  const fs::path top = fake_ipxe_tree(dir.path() / "ipxe", /*broken=*/true);
  RomBuilder builder(fake_context(top, dir.path() / "cache"));
  const BuildResult r =
      builder.build(builder.requests({"vmware-min"}, {"vmxnet3"}, {"bios"}, false));
  ASSERT_EQ(r.failures.size(), 1u);
  const BuildFailure& f = r.failures[0];
  EXPECT_EQ(f.label, "vmware-min/bios");
  EXPECT_THAT(f.message, StartsWith("make for vmware-min/bios failed (exit status 2); compiler "
                                    "errors:\n  broken.c:1:25: error: 'undeclared_thing' "
                                    "undeclared"));
  EXPECT_THAT(f.message, HasSubstr("last lines of the log:\n"));
  EXPECT_THAT(f.message, HasSubstr("full log: " + f.log.string()));
  EXPECT_TRUE(fs::exists(f.log));
  EXPECT_TRUE(fs::is_empty(dir.path() / "cache/tmp"));  // the source's export removed
}

TEST(RomBuilderTest, FindOrBuildUnknownNic) {
  TempDir dir;
  RomBuilder builder(fake_context(fake_ipxe_tree(dir.path() / "ipxe"), dir.path() / "cache"));
  try {
    builder.find_or_build({.variant = "vmware-min", .nic = "e1000", .firmware = "bios"});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(std::string(e.what()),
                HasSubstr("has no target for NIC 'e1000' on bios (NICs: vmxnet3, e1000-82545em, "
                          "e1000e; platforms: bios, efi)"));
  }
}

TEST(RomBuilderTest, ErrorLines) {
  EXPECT_THAT(error_lines("a\nx.c:1:2: error: bad\nb\nmake: *** [x.o] Error 1\n"),
              ::testing::ElementsAre("x.c:1:2: error: bad", "make: *** [x.o] Error 1"));
}

// With a real iPXE tree (ROMHARNESS_IPXE_SRC): the VMware ROMs for vmxnet3
// build (or come from the ROMHARNESS_CACHE cache) with the right ids.
TEST(RomBuilderIpxeTest, VmwareMinVmxnet3) {
  const char* src = std::getenv("ROMHARNESS_IPXE_SRC");
  if (src == nullptr || *src == '\0') {
    GTEST_SKIP() << "ROMHARNESS_IPXE_SRC is not set: no iPXE tree to build from";
  }
  RomBuilder builder({.ipxe_src = src, .variants = kVariants, .jobs = 2});
  for (const std::string firmware : {"bios", "efi"}) {
    const BuiltRom rom =
        builder.find_or_build({.variant = "vmware-min", .nic = "vmxnet3", .firmware = firmware});
    const OptionRom parsed = read_option_rom(rom.path);
    EXPECT_TRUE(parsed.ok()) << ::testing::PrintToString(parsed.diagnostics());
    EXPECT_EQ(parsed.images[0].id(), "15ad:07b0");
    EXPECT_EQ(parsed.images[0].code_type, firmware == "bios" ? 0 : 3);
    EXPECT_EQ(rom.provenance.at("ipxe_commit"), builder.source().provenance());
    const auto start = std::chrono::steady_clock::now();
    const BuiltRom again =
        builder.find_or_build({.variant = "vmware-min", .nic = "vmxnet3", .firmware = firmware});
    EXPECT_TRUE(again.cache_hit);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  }
  const BuiltRom mrom =
      builder.find_or_build({.variant = "vmware-min", .nic = "e1000-82545em", .firmware = "bios"});
  const OptionRom parsed = read_option_rom(mrom.path);
  EXPECT_TRUE(parsed.ok()) << ::testing::PrintToString(parsed.diagnostics());
  EXPECT_EQ(parsed.layout, RomLayout::kMrom);
  EXPECT_EQ(parsed.images[0].id(), "8086:100f");
  EXPECT_LT(parsed.shadow_size, parsed.file_size);
}

}  // namespace
}  // namespace rh
