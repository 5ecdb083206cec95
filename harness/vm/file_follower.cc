#include "harness/vm/file_follower.h"

#include <fstream>

namespace rh {

FileFollower::FileFollower(std::filesystem::path file, std::size_t max_line)
    : file_(std::move(file)), max_line_(max_line) {}

void FileFollower::read_more() {
  std::ifstream in(file_, std::ios::binary);
  if (!in) return;
  in.seekg(static_cast<std::streamoff>(offset_));
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    const auto n = static_cast<std::size_t>(in.gcount());
    offset_ += n;
    for (std::size_t i = 0; i < n; ++i) {
      const char c = buffer[i];
      if (c == '\n') {
        pending_ += c;
        cutting_ = false;
      } else if (!cutting_) {
        pending_ += c;
        const auto line_start = pending_.rfind('\n');
        const std::size_t length =
            line_start == std::string::npos ? pending_.size() : pending_.size() - line_start - 1;
        if (length >= max_line_) cutting_ = true;
      }
    }
  }
}

std::vector<std::string> FileFollower::take_complete_lines() {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (auto nl = pending_.find('\n'); nl != std::string::npos; nl = pending_.find('\n', start)) {
    lines.push_back(pending_.substr(start, nl - start));
    start = nl + 1;
  }
  pending_.erase(0, start);
  return lines;
}

std::vector<std::string> FileFollower::new_lines() {
  read_more();
  return take_complete_lines();
}

std::vector<std::string> FileFollower::rest() {
  std::vector<std::string> lines = new_lines();
  if (!pending_.empty()) lines.push_back(std::move(pending_));
  pending_.clear();
  return lines;
}

}  // namespace rh
