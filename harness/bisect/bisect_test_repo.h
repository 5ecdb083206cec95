// Test support: a synthetic iPXE git history whose make "builds" ROMs by
// copying Debian's prebuilt ones (package ipxe-qemu), so a bisection runs
// real builds through the ROM builder and boots real ROMs in seconds:
//
//   position 0  good   vmxnet3 ROM (15ad:07b0)
//            1, 2      unrelated changes
//            3         make fails (a compiler error): skipped
//            4         make fixed
//            5         the e1000 ROM (8086:100e) in its place: never runs on vmxnet3
//            6         the ROM padded by 4 KiB: over a budget of the e1000 ROM's size
//            7  bad    unrelated change
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "harness/core/process.h"

namespace rh::testing {

inline constexpr std::size_t kFirstBootBad = 5;
inline constexpr std::size_t kFirstOverBudget = 6;
inline constexpr std::size_t kBrokenBuild = 3;
inline constexpr std::size_t kRepoCandidates = 7;
inline const std::filesystem::path kVmxnet3Rom = "/usr/lib/ipxe/qemu/pxe-vmxnet3.rom";
inline const std::filesystem::path kE1000Rom = "/usr/lib/ipxe/qemu/pxe-e1000.rom";

class SyntheticIpxeRepo {
 public:
  explicit SyntheticIpxeRepo(std::filesystem::path top) : top_(std::move(top)) {
    write("src/Makefile.housekeeping", "");
    for (const char* h : {"general.h", "console.h", "settings.h"})
      write("src/config/" + std::string(h), "");
    git({"init", "-q"});
    commit_makefile(copy_rule(kVmxnet3Rom), "vmxnet3 ROM");  // 0 good
    commit_readme("docs: one");                              // 1
    commit_readme("docs: two");                              // 2
    commit_makefile("\t@echo 'core/x.c:1:1: error: unknown type name' >&2; exit 1\n",
                    "make: a compiler error");                                      // 3
    commit_makefile(copy_rule(kVmxnet3Rom), "make: fixed");                         // 4
    commit_makefile(copy_rule(kE1000Rom), "driver: the e1000 image in its place");  // 5
    commit_makefile(copy_rule(kE1000Rom) + "\thead -c 4096 /dev/zero >> $@\n",
                    "rom: 4 KiB of padding");  // 6
    commit_readme("docs: three");              // 7 bad
  }

  const std::filesystem::path& top() const { return top_; }
  const std::vector<std::string>& commits() const { return commits_; }  // by position
  static std::size_t budget() { return std::filesystem::file_size(kE1000Rom); }

  std::string git(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {
        "git", "-C", top_.string(), "-c", "user.name=Test", "-c", "user.email=test@example.com"};
    argv.insert(argv.end(), args.begin(), args.end());
    const CommandOutput r = run_command(argv, std::chrono::seconds(30));
    EXPECT_TRUE(r.status.ok()) << shell_quote(argv) << ": " << r.err;
    return r.out.substr(0, r.out.find('\n'));
  }

 private:
  static std::string copy_rule(const std::filesystem::path& rom) {
    return "\tmkdir -p $(dir $@) && cp " + rom.string() + " $@\n";
  }
  void write(const std::string& rel, const std::string& text) const {
    std::filesystem::create_directories((top_ / rel).parent_path());
    std::ofstream(top_ / rel) << text;
  }
  void commit(const std::string& subject) {
    git({"add", "-A"});
    git({"commit", "-q", "-m", subject});
    commits_.push_back(git({"rev-parse", "HEAD"}));
  }
  void commit_makefile(const std::string& rule, const std::string& subject) {
    write("src/Makefile", "bin/%.rom bin/%.mrom bin-x86_64-efi/%.efirom:\n" + rule);
    commit(subject);
  }
  void commit_readme(const std::string& subject) {
    readme_ += subject + "\n";
    write("README", readme_);
    commit(subject);
  }

  std::filesystem::path top_;
  std::vector<std::string> commits_;
  std::string readme_;
};

}  // namespace rh::testing
