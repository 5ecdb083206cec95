// Reads a file that another process appends to (an emulator's log, its
// stderr), a complete line at a time, from where the last call stopped.
//
//   FileFollower f(dir / "qemu.stderr");
//   for (const std::string& line : f.new_lines()) ...   // while the writer runs
//   for (const std::string& line : f.rest()) ...        // once it is gone
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace rh {

class FileFollower {
 public:
  // A line longer than `max_line` is cut there (the rest of it is dropped).
  explicit FileFollower(std::filesystem::path file, std::size_t max_line = std::size_t{64} * 1024);

  // Complete lines appended since the last call (none while the file is missing).
  std::vector<std::string> new_lines();
  // new_lines() plus a last line without its newline.
  std::vector<std::string> rest();
  std::uint64_t offset() const { return offset_; }

 private:
  void read_more();
  std::vector<std::string> take_complete_lines();

  std::filesystem::path file_;
  std::size_t max_line_;
  std::uint64_t offset_ = 0;
  std::string pending_;
  bool cutting_ = false;  // inside a line already cut at max_line_
};

}  // namespace rh
