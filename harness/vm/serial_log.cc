#include "harness/vm/serial_log.h"

namespace rh {

SerialLog::SerialLog(std::filesystem::path raw_path, Clock::time_point origin,
                     std::size_t wrap_columns)
    : raw_(std::fopen(raw_path.c_str(), "wb")), origin_(origin), wrap_columns_(wrap_columns) {}

SerialLog::~SerialLog() {
  if (raw_ != nullptr) std::fclose(raw_);
}

void SerialLog::append(std::string_view bytes, Clock::time_point now) {
  std::lock_guard lock(mu_);
  if (raw_ != nullptr) {
    std::fwrite(bytes.data(), 1, bytes.size(), raw_);
    std::fflush(raw_);
  }
  const std::size_t before = lines_.size();
  for (char c : bytes) feed(c, now);
  if (lines_.size() != before) cv_.notify_all();
}

void SerialLog::feed(char c, Clock::time_point now) {
  // ESC [ params final: a CSI sequence; ESC x: a two-byte escape.
  // A terminal reset (ESC c) or a screen clear (CSI J) starts a new screen:
  // whatever follows is a new line, even without a newline before it (Linux
  // taking over the UART after iPXE printed "... o" through sercon).
  switch (escape_) {
    case Escape::kEsc:
      escape_ = c == '[' ? Escape::kCsi : Escape::kNone;
      if (c == 'c') end_line();
      return;
    case Escape::kCsi:
      if (c >= 0x40 && c <= 0x7e) escape_ = Escape::kNone;
      if (c == 'J') end_line();
      return;
    case Escape::kNone:
      break;
  }
  if (c == '\x1b') {
    escape_ = Escape::kEsc;
  } else if (c == '\n') {
    const bool wrapped = wrap_columns_ > 0 && current_.size() % wrap_columns_ == 0;
    if (!wrapped) end_line();
  } else if (c == '\b') {
    if (!current_.empty()) current_.pop_back();
  } else if (c != '\r' && c != '\0') {
    if (current_at_ms_ < 0) {
      current_at_ms_ = std::chrono::duration<double, std::milli>(now - origin_).count();
    }
    current_ += c;
  }
}

void SerialLog::end_line() {
  if (!current_.empty()) lines_.push_back({current_at_ms_, current_});
  current_.clear();
  current_at_ms_ = -1;
}

void SerialLog::finish() {
  std::lock_guard lock(mu_);
  end_line();
  cv_.notify_all();
}

std::size_t SerialLog::line_count() const {
  std::lock_guard lock(mu_);
  return lines_.size();
}

std::vector<TimedLine> SerialLog::lines_from(std::size_t first) const {
  std::lock_guard lock(mu_);
  if (first >= lines_.size()) return {};
  return {lines_.begin() + static_cast<std::ptrdiff_t>(first), lines_.end()};
}

std::vector<std::string> SerialLog::tail(std::size_t n) const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  const std::size_t from = lines_.size() > n ? lines_.size() - n : 0;
  for (std::size_t i = from; i < lines_.size(); ++i) out.push_back(lines_[i].text);
  if (!current_.empty()) out.push_back(current_);
  return out;
}

void SerialLog::wait_for_more(std::size_t known, Clock::time_point until) const {
  std::unique_lock lock(mu_);
  cv_.wait_until(lock, until, [&] { return lines_.size() > known; });
}

std::vector<std::string> clean_console_lines(std::string_view bytes, std::size_t wrap_columns) {
  SerialLog log("/dev/null", SerialLog::Clock::now(), wrap_columns);
  log.append(bytes, SerialLog::Clock::now());
  log.finish();
  std::vector<std::string> out;
  for (auto& line : log.lines_from(0)) out.push_back(std::move(line.text));
  return out;
}

}  // namespace rh
