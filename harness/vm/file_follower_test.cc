#include "harness/vm/file_follower.h"

#include <gtest/gtest.h>

#include <fstream>

#include "harness/core/testing/temp_dir.h"

namespace rh {
namespace {

using Lines = std::vector<std::string>;

TEST(FileFollower, ReadsCompleteLinesAsTheyAreAppended) {
  testing::TempDir tmp;
  const auto file = tmp.path() / "log";
  FileFollower f(file);
  EXPECT_EQ(f.new_lines(), Lines{}) << "a missing file is no line yet";
  std::ofstream out(file, std::ios::binary);
  out << "one\ntw" << std::flush;
  EXPECT_EQ(f.new_lines(), Lines{"one"});
  out << "o\nthree" << std::flush;
  EXPECT_EQ(f.new_lines(), Lines{"two"});
  EXPECT_EQ(f.rest(), Lines{"three"});
  EXPECT_EQ(f.rest(), Lines{});
}

TEST(FileFollower, CutsOverlongLines) {
  testing::TempDir tmp;
  const auto file = tmp.write("log", std::string(100, 'x') + "\nshort\n");
  FileFollower f(file, 10);
  EXPECT_EQ(f.new_lines(), (Lines{std::string(10, 'x'), "short"}));
}

}  // namespace
}  // namespace rh
