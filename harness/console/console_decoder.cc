#include "harness/console/console_decoder.h"

namespace rh {
namespace {

bool blank(char c) { return c == ' ' || c == '\t'; }

}  // namespace

void ConsoleDecoder::feed(std::string_view bytes, double at_ms, std::vector<ConsoleLine>& out) {
  for (const char c : bytes) feed_char(c, at_ms, out);
}

bool ConsoleDecoder::feed_escape(char c, std::vector<ConsoleLine>& out) {
  switch (escape_) {
    case Escape::kNone:
      if (c != '\x1b') return false;
      escape_ = Escape::kEsc;
      return true;
    case Escape::kEsc:
      escape_ = c == '[' ? Escape::kCsi : c == ']' ? Escape::kOsc : Escape::kNone;
      if (c == 'c') end_line(out);  // terminal reset: a new screen
      return true;
    case Escape::kCsi:
      if (c >= 0x40 && c <= 0x7e) escape_ = Escape::kNone;
      if (c == 'J') end_line(out);  // screen clear: a new screen
      return true;
    case Escape::kOsc:
      if (c == '\a') escape_ = Escape::kNone;
      if (c == '\x1b') escape_ = Escape::kOscEsc;
      return true;
    case Escape::kOscEsc:
      escape_ = c == '\\' ? Escape::kNone : Escape::kOsc;
      return true;
  }
  return false;
}

void ConsoleDecoder::feed_char(char c, double at_ms, std::vector<ConsoleLine>& out) {
  if (feed_escape(c, out)) return;
  const auto u = static_cast<unsigned char>(c);
  if (c == '\n') return newline(out);
  if (c == '\b') {
    if (!current_.empty()) current_.pop_back();
    if (current_.empty()) current_at_ms_ = -1;  // erased: timed afresh from its next byte
    return;
  }
  if ((u < 0x20 && c != '\t') || u == 0x7f) return;  // CR, NUL, BEL, ... and DEL
  if (current_at_ms_ < 0) current_at_ms_ = at_ms;
  current_ += c;
}

bool ConsoleDecoder::continues_on_next_line() const {
  if (current_.empty()) return false;
  if (wrap_columns_ > 0 && current_.size() % wrap_columns_ == 0) return true;
  const auto open = current_.rfind("(http");
  return url_joins_ == 0 && open != std::string::npos &&
         current_.find(')', open) == std::string::npos;
}

void ConsoleDecoder::newline(std::vector<ConsoleLine>& out) {
  if (!continues_on_next_line()) return end_line(out);
  if (wrap_columns_ == 0 || current_.size() % wrap_columns_ != 0) ++url_joins_;
}

void ConsoleDecoder::end_line(std::vector<ConsoleLine>& out) {
  while (!current_.empty() && blank(current_.back())) current_.pop_back();
  if (!current_.empty()) out.push_back({current_at_ms_, current_});
  current_.clear();
  current_at_ms_ = -1;
  url_joins_ = 0;
}

void ConsoleDecoder::finish(std::vector<ConsoleLine>& out) {
  escape_ = Escape::kNone;
  end_line(out);
}

std::vector<std::string> console_lines(std::string_view bytes, std::size_t wrap_columns) {
  ConsoleDecoder decoder(wrap_columns);
  std::vector<ConsoleLine> lines;
  decoder.feed(bytes, 0, lines);
  decoder.finish(lines);
  std::vector<std::string> out;
  out.reserve(lines.size());
  for (auto& line : lines) out.push_back(std::move(line.text));
  return out;
}

std::string clean_console_line(std::string_view raw) {
  std::string joined;
  for (const auto& line : console_lines(raw)) joined += line;
  return joined;
}

}  // namespace rh
