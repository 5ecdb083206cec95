#include "harness/rom/build_tree.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <thread>

#include "harness/core/testing/temp_dir.h"
#include "harness/core/text.h"

namespace rh {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// An old timestamp, so that a rewrite shows as a newer one.
void age(const fs::path& path) {
  fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::hours(24));
}

class BuildTreeTest : public ::testing::Test {
 protected:
  fs::path export_of(const std::string& name, const std::map<std::string, std::string>& files) {
    const fs::path dir = tmp_.path() / "exports" / name / "src";
    for (const auto& [rel, text] : files) write(dir / rel, text);
    return dir;
  }
  fs::path root() const { return tmp_.path() / "rom-trees"; }
  testing::TempDir tmp_;
};

TEST_F(BuildTreeTest, ASyncWritesOnlyWhatDiffersAndKeepsBuildOutput) {
  BuildTree tree = BuildTree::open(root(), "bios-a", "bios");
  tree.sync_from(export_of("one", {{"core/a.c", "a1"}, {"core/b.c", "b1"}, {"old.c", "gone"}}));
  write(tree.src() / "bin/a.o", "object");
  age(tree.src() / "core/a.c");
  const auto a_time = fs::last_write_time(tree.src() / "core/a.c");

  BuildTree again = std::move(tree);
  again.sync_from(export_of("two", {{"core/a.c", "a1"}, {"core/b.c", "b2"}, {"new.c", "n"}}));
  EXPECT_EQ(again.sync().written, 2U);  // b.c and new.c
  EXPECT_EQ(again.sync().unchanged, 1U);
  EXPECT_EQ(again.sync().removed, 1U);
  EXPECT_EQ(fs::last_write_time(again.src() / "core/a.c"), a_time) << "unchanged, untouched";
  EXPECT_EQ(read_whole_file(again.src() / "core/b.c"), "b2");
  EXPECT_FALSE(fs::exists(again.src() / "old.c"));
  EXPECT_EQ(read_whole_file(again.src() / "bin/a.o"), "object")
      << "build output is not the source's";
}

TEST_F(BuildTreeTest, ConfigIsRewrittenOnlyWhenItChangesAndOthersSettingsGo) {
  BuildTree tree = BuildTree::open(root(), "bios-a", "bios");
  tree.sync_from(export_of("one", {{"config/local/.gitignore", "*\n"}, {"Makefile", "m"}}));
  tree.set_config({{"config/local/general.h", "#define A"}, {"config/local/console.h", "c"}});
  age(tree.src() / "config/local/general.h");
  const auto general_time = fs::last_write_time(tree.src() / "config/local/general.h");

  write(tree.src() / "config/local/usb.h", "");  // what iPXE's make creates for the others
  age(tree.src() / "config/local/usb.h");
  const auto made_time = fs::last_write_time(tree.src() / "config/local/usb.h");

  tree.set_config({{"config/local/general.h", "#define A"}});
  EXPECT_EQ(fs::last_write_time(tree.src() / "config/local/general.h"), general_time);
  EXPECT_FALSE(fs::exists(tree.src() / "config/local/console.h")) << "not this config's";
  EXPECT_TRUE(fs::exists(tree.src() / "config/local/.gitignore")) << "the source's own";
  EXPECT_EQ(fs::last_write_time(tree.src() / "config/local/usb.h"), made_time)
      << "make's own empty header, or every object that includes it is rebuilt";
  tree.set_config({{"config/local/general.h", "#define B"}});
  EXPECT_EQ(read_whole_file(tree.src() / "config/local/general.h"), "#define B");
}

TEST_F(BuildTreeTest, ATreeWhoseBuildNeverFinishedIsWiped) {
  {
    BuildTree tree = BuildTree::open(root(), "bios-a", "bios");
    tree.sync_from(export_of("one", {{"core/a.c", "a"}}));
    write(tree.src() / "bin/a.o", "half an object");
    tree.begin({"bin/x.rom"});  // ... and the build is killed: no finished()
  }
  BuildTree again = BuildTree::open(root(), "bios-a", "bios");
  EXPECT_TRUE(again.sync().wiped);
  EXPECT_FALSE(fs::exists(again.src() / "bin/a.o"));
}

TEST_F(BuildTreeTest, AFinishedBuildKeepsItsTreeAndBeginRemovesTheTargets) {
  {
    BuildTree tree = BuildTree::open(root(), "bios-a", "bios");
    write(tree.src() / "bin/x.rom", "old rom");
    write(tree.src() / "bin/a.o", "object");
    tree.begin({"bin/x.rom"});
    EXPECT_FALSE(fs::exists(tree.src() / "bin/x.rom")) << "linked again with this build's stamp";
    tree.finished();  // even when make failed: it ended by itself
  }
  BuildTree again = BuildTree::open(root(), "bios-a", "bios");
  EXPECT_FALSE(again.sync().wiped);
  EXPECT_EQ(read_whole_file(again.src() / "bin/a.o"), "object");
}

TEST_F(BuildTreeTest, ANewTreeStartsFromASoundSiblingOfItsPlatform) {
  {
    BuildTree efi = BuildTree::open(root(), "efi-z", "efi");
    write(efi.src() / "bin-x86_64-efi/e.o", "efi object");
    BuildTree bios = BuildTree::open(root(), "bios-a", "bios");
    bios.sync_from(export_of("one", {{"core/a.c", "a"}, {"old.c", "o"}}));
    write(bios.src() / "bin/a.o", "bios object");
    age(bios.src() / "bin/a.o");
  }
  BuildTree seeded = BuildTree::open(root(), "bios-b", "bios");
  EXPECT_EQ(seeded.sync().seeded_from, "bios-a");
  EXPECT_EQ(read_whole_file(seeded.src() / "bin/a.o"), "bios object");
  EXPECT_EQ(fs::last_write_time(seeded.src() / "bin/a.o"),
            fs::last_write_time(root() / "bios-a/src/bin/a.o"))
      << "timestamps kept, or make would think every object new";
  EXPECT_FALSE(fs::exists(seeded.src() / "bin-x86_64-efi")) << "another platform's tree";
  seeded.sync_from(export_of("two", {{"core/a.c", "a"}}));
  EXPECT_FALSE(fs::exists(seeded.src() / "old.c")) << "the sibling's source list came along";
}

TEST_F(BuildTreeTest, AnUnsoundSiblingIsNotCopied) {
  {
    BuildTree killed = BuildTree::open(root(), "bios-a", "bios");
    write(killed.src() / "bin/a.o", "half an object");
    killed.begin({});  // never finished
  }
  BuildTree fresh = BuildTree::open(root(), "bios-b", "bios");
  EXPECT_EQ(fresh.sync().seeded_from, "");
  EXPECT_TRUE(fs::is_empty(fresh.src()));
}

TEST_F(BuildTreeTest, ANewTreeWaitsForASiblingThatIsBeingBuilt) {
  auto busy = std::make_unique<BuildTree>(BuildTree::open(root(), "bios-a", "bios"));
  write(busy->src() / "bin/a.o", "object");
  busy->begin({});
  std::thread other_build([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // any time: open waits
    busy->finished();
    busy.reset();  // unlocks
  });
  BuildTree seeded = BuildTree::open(root(), "bios-b", "bios");
  other_build.join();
  EXPECT_EQ(seeded.sync().seeded_from, "bios-a");
  EXPECT_EQ(read_whole_file(seeded.src() / "bin/a.o"), "object");
}

}  // namespace
}  // namespace rh
