#include "harness/timeline/serial_text.h"

namespace rh {
namespace {

// Index just past the escape sequence starting at raw[i] (raw[i] == ESC).
size_t skip_escape(std::string_view raw, size_t i) {
  size_t j = i + 1;
  if (j >= raw.size()) return j;
  if (raw[j] == '[') {  // CSI: parameters, then one final byte in 0x40..0x7e
    for (++j; j < raw.size(); ++j) {
      unsigned char c = raw[j];
      if (c >= 0x40 && c <= 0x7e) return j + 1;
    }
    return j;
  }
  if (raw[j] == ']') {  // OSC: up to BEL or ESC '\'
    for (++j; j < raw.size(); ++j) {
      if (raw[j] == '\a') return j + 1;
      if (raw[j] == '\x1b' && j + 1 < raw.size() && raw[j + 1] == '\\') return j + 2;
    }
    return j;
  }
  return j + 1;  // ESC c (reset), ESC 7, ...
}

}  // namespace

std::string clean_serial_line(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size();) {
    unsigned char c = raw[i];
    if (c == 0x1b) {
      i = skip_escape(raw, i);
      continue;
    }
    if (raw.substr(i, 3) == "\b \b") {  // a spinner erasing its own last character
      i += 3;
      continue;
    }
    if (c == '\b') {
      if (!out.empty()) out.pop_back();
    } else if (c >= 0x20 || c == '\t') {
      out.push_back(static_cast<char>(c));
    }
    ++i;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
  return out;
}

}  // namespace rh
