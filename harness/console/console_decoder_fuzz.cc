// libFuzzer: console bytes from a guest are untrusted; decoding any of them
// must neither crash nor grow lines beyond what was fed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "harness/console/console_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  rh::ConsoleDecoder decoder(size % 2 == 0 ? 80 : 0);
  std::vector<rh::ConsoleLine> lines;
  decoder.feed(bytes.substr(0, size / 2), 1, lines);
  decoder.feed(bytes.substr(size / 2), 2, lines);
  decoder.finish(lines);
  std::size_t total = 0;
  for (const auto& line : lines) total += line.text.size();
  if (total > size) __builtin_trap();
  return 0;
}
