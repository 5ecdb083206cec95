// A console transcript being written by a reader thread and read by the
// runner: raw bytes go to a file (the serial.log artifact), complete lines
// are kept with the time their first byte arrived, in milliseconds from the
// VM's start on the monotonic clock.
//
// Lines are cleaned for matching: ANSI escape sequences (SeaBIOS sercon and
// OVMF draw with them) are dropped, backspaces erase, CR is ignored.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace rh {

struct TimedLine {
  double at_ms = 0;
  std::string text;
};

class SerialLog {
 public:
  using Clock = std::chrono::steady_clock;
  // `wrap_columns`: SeaBIOS sercon draws an 80-column text screen and breaks
  // longer lines; a line exactly that long continues on the next one, so the
  // two are joined for matching (serial.log keeps the raw bytes). 0: no joining.
  SerialLog(std::filesystem::path raw_path, Clock::time_point origin, std::size_t wrap_columns = 0);
  ~SerialLog();
  SerialLog(const SerialLog&) = delete;
  SerialLog& operator=(const SerialLog&) = delete;

  void append(std::string_view bytes, Clock::time_point now);
  void finish();  // flushes a last unterminated line

  std::size_t line_count() const;
  std::vector<TimedLine> lines_from(std::size_t first) const;
  std::vector<std::string> tail(std::size_t n) const;
  // Blocks until more than `known` lines exist or `until` passes.
  void wait_for_more(std::size_t known, Clock::time_point until) const;

 private:
  void feed(char c, Clock::time_point now);
  void end_line();

  std::FILE* raw_ = nullptr;
  Clock::time_point origin_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<TimedLine> lines_;
  std::string current_;
  double current_at_ms_ = -1;
  std::size_t wrap_columns_ = 0;
  enum class Escape { kNone, kEsc, kCsi } escape_ = Escape::kNone;
};

// Exposed for tests: the cleaning rules applied to one chunk of bytes.
std::vector<std::string> clean_console_lines(std::string_view bytes, std::size_t wrap_columns = 0);

}  // namespace rh
