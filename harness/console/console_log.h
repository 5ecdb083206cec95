// A console transcript being written by a backend's reader thread and read
// by the runner: raw bytes go to a file (the serial.log artifact), lines are
// decoded as they complete (console_decoder.h) and timed in milliseconds from
// the VM's start on the monotonic clock.
//
// A guest may write without end: the raw file, the number of lines and the
// length of one line are capped (ConsoleLimits). Past a cap the transcript
// stops growing, the file ends with a marker saying so, and flooded() tells
// the runner, which ends the boot with that reason.
//
//   ConsoleLog log(dir / "serial.log", started, {.wrap_columns = 80});
//   log.append(bytes, Clock::now());        // reader thread
//   log.wait_for_more(seen, deadline);      // runner
//   for (const auto& l : log.lines_from(seen)) ...
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/console/console_decoder.h"

namespace rh {

struct ConsoleLimits {
  std::size_t wrap_columns = 0;               // see ConsoleDecoder
  std::uint64_t max_raw_bytes = 64ull << 20;  // serial.log
  std::size_t max_lines = 200'000;            // decoded lines kept
  std::size_t max_line_length = 64 * 1024UL;  // longer: cut, the rest dropped
};

class ConsoleLog {
 public:
  using Clock = std::chrono::steady_clock;
  // An empty `raw_path` keeps no file.
  ConsoleLog(const std::filesystem::path& raw_path, Clock::time_point origin,
             ConsoleLimits limits = {});
  ~ConsoleLog();
  ConsoleLog(const ConsoleLog&) = delete;
  ConsoleLog& operator=(const ConsoleLog&) = delete;

  void append(std::string_view bytes, Clock::time_point now);
  void finish();  // the last unterminated line becomes a line

  std::size_t line_count() const;
  std::vector<ConsoleLine> lines_from(std::size_t first) const;
  // The last n lines, and the line being written if any.
  std::vector<std::string> tail(std::size_t n) const;
  // Blocks until more than `known` lines exist, the log floods or finishes,
  // or `until` passes.
  void wait_for_more(std::size_t known, Clock::time_point until) const;
  // Which cap the guest ran into, e.g. "more than 67108864 bytes"; empty: none.
  std::optional<std::string> flooded() const;
  std::uint64_t bytes_seen() const;

 private:
  void write_raw(std::string_view bytes);
  void add_lines(std::vector<ConsoleLine>& fresh);
  void flood(const std::string& why);

  std::FILE* raw_ = nullptr;
  Clock::time_point origin_;
  ConsoleLimits limits_;
  ConsoleDecoder decoder_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<ConsoleLine> lines_;
  std::uint64_t raw_written_ = 0;
  std::uint64_t bytes_seen_ = 0;
  std::optional<std::string> flooded_;
  bool finished_ = false;
};

}  // namespace rh
