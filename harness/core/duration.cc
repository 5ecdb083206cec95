#include "harness/core/duration.h"

#include <cctype>
#include <charconv>
#include <stdexcept>

namespace rh {

std::chrono::milliseconds parse_duration(const std::string& text) {
  const auto bad = [&] {
    return std::invalid_argument("bad duration '" + text +
                                 "' (use a number with ms, s or m, e.g. 500ms, 30s, 2m)");
  };
  std::size_t unit_at = 0;
  while (unit_at < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[unit_at])) || text[unit_at] == '.')) {
    ++unit_at;
  }
  if (unit_at == 0) throw bad();
  double number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + unit_at, number);
  if (ec != std::errc() || end != text.data() + unit_at) throw bad();
  const std::string unit = text.substr(unit_at);
  double ms = 0;
  if (unit == "ms") {
    ms = number;
  } else if (unit == "s") {
    ms = number * 1000;
  } else if (unit == "m" || unit == "min") {
    ms = number * 60000;
  } else {
    throw bad();
  }
  if (ms <= 0) throw std::invalid_argument("duration '" + text + "' must be greater than zero");
  return std::chrono::milliseconds(static_cast<long long>(ms));
}

std::string shown_duration(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + "s";
  return std::to_string(d.count()) + "ms";
}

}  // namespace rh
