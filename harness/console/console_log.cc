#include "harness/console/console_log.h"

namespace rh {

ConsoleLog::ConsoleLog(const std::filesystem::path& raw_path, Clock::time_point origin,
                       ConsoleLimits limits)
    : raw_(raw_path.empty() ? nullptr : std::fopen(raw_path.c_str(), "wb")),
      origin_(origin),
      limits_(limits),
      decoder_(limits.wrap_columns) {}

ConsoleLog::~ConsoleLog() {
  if (raw_ != nullptr) std::fclose(raw_);
}

void ConsoleLog::append(std::string_view bytes, Clock::time_point now) {
  std::lock_guard lock(mu_);
  bytes_seen_ += bytes.size();
  if (flooded_) return;  // counted, no longer kept
  if (raw_written_ + bytes.size() > limits_.max_raw_bytes) {
    bytes = bytes.substr(0, limits_.max_raw_bytes - raw_written_);
    write_raw(bytes);
    return flood("more than " + std::to_string(limits_.max_raw_bytes) + " bytes");
  }
  write_raw(bytes);
  std::vector<ConsoleLine> fresh;
  decoder_.feed(bytes, std::chrono::duration<double, std::milli>(now - origin_).count(), fresh);
  add_lines(fresh);
  if (!flooded_ && decoder_.partial().size() > limits_.max_line_length) {
    flood("a line longer than " + std::to_string(limits_.max_line_length) + " characters");
  }
}

void ConsoleLog::write_raw(std::string_view bytes) {
  raw_written_ += bytes.size();
  if (raw_ == nullptr) return;
  std::fwrite(bytes.data(), 1, bytes.size(), raw_);
  std::fflush(raw_);
}

void ConsoleLog::add_lines(std::vector<ConsoleLine>& fresh) {
  for (auto& line : fresh) {
    if (lines_.size() >= limits_.max_lines) {
      return flood("more than " + std::to_string(limits_.max_lines) + " lines");
    }
    lines_.push_back(std::move(line));
  }
  if (!fresh.empty()) cv_.notify_all();
}

void ConsoleLog::flood(const std::string& why) {
  flooded_ = "the guest flooded its console: " + why;
  if (raw_ != nullptr) {
    const std::string marker = "\n[romharness: serial.log capped here; " + *flooded_ + "]\n";
    std::fwrite(marker.data(), 1, marker.size(), raw_);
    std::fflush(raw_);
  }
  cv_.notify_all();
}

void ConsoleLog::finish() {
  std::lock_guard lock(mu_);
  if (finished_) return;
  finished_ = true;
  std::vector<ConsoleLine> last;
  decoder_.finish(last);
  if (!flooded_) add_lines(last);
  cv_.notify_all();
}

std::size_t ConsoleLog::line_count() const {
  std::lock_guard lock(mu_);
  return lines_.size();
}

std::vector<ConsoleLine> ConsoleLog::lines_from(std::size_t first) const {
  std::lock_guard lock(mu_);
  if (first >= lines_.size()) return {};
  return {lines_.begin() + static_cast<std::ptrdiff_t>(first), lines_.end()};
}

std::vector<std::string> ConsoleLog::tail(std::size_t n) const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  const std::size_t from = lines_.size() > n ? lines_.size() - n : 0;
  for (std::size_t i = from; i < lines_.size(); ++i) out.push_back(lines_[i].text);
  if (!decoder_.partial().empty()) out.push_back(decoder_.partial());
  return out;
}

void ConsoleLog::wait_for_more(std::size_t known, Clock::time_point until) const {
  std::unique_lock lock(mu_);
  cv_.wait_until(lock, until, [&] { return lines_.size() > known || flooded_ || finished_; });
}

std::optional<std::string> ConsoleLog::flooded() const {
  std::lock_guard lock(mu_);
  return flooded_;
}

std::uint64_t ConsoleLog::bytes_seen() const {
  std::lock_guard lock(mu_);
  return bytes_seen_;
}

}  // namespace rh
