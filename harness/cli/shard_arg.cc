#include "harness/cli/shard_arg.h"

#include <charconv>

#include "harness/core/error.h"

namespace rh {
namespace {

bool parse_whole(const std::string& text, int& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

Shard parse_shard(const std::string& text) {
  const std::size_t slash = text.find('/');
  Shard s;
  const bool ok = slash != std::string::npos && parse_whole(text.substr(0, slash), s.index) &&
                  parse_whole(text.substr(slash + 1), s.total) && s.index >= 1 &&
                  s.index <= s.total;
  if (!ok) throw InputError("--shard needs I/N with 1 <= I <= N (e.g. 2/3), got '" + text + "'");
  return s;
}

}  // namespace rh
