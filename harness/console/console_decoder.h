// The one reading of console text: the bytes a serial port carries turned
// into the lines a person sees on screen. Every reader of the console (the
// live transcript, the stage tracker, the timeline, triage) gets its lines
// from here, so a pattern means the same thing everywhere.
//
//   ConsoleDecoder d(80);                 // the firmware's screen is 80 columns wide
//   std::vector<ConsoleLine> lines;
//   d.feed("\x1b[0;1miPXE 1.0\x1b[0m\n", 12.5, lines);   // {12.5, "iPXE 1.0"}
//   d.finish(lines);                      // a last unterminated line
//
// Rules, in the manner of a terminal:
//   - escape sequences are dropped: CSI (ESC [ ... final), OSC (ESC ] ... BEL
//     or ESC \), and two-byte ones; a terminal reset (ESC c) or a screen clear
//     (CSI ... J) ends the line, as a new screen starts (Linux taking over the
//     UART after the ROM's text);
//   - backspace erases; a line erased to nothing starts afresh, so it is timed
//     from its next byte (iPXE erases its "Press Ctrl-B" prompt that way);
//   - CR is ignored, other C0 controls and DEL are dropped, tab is kept,
//     trailing blanks are trimmed, empty lines are not lines;
//   - a line exactly `wrap_columns` long continues on the next one (a
//     firmware that copies an 80-column screen breaks long lines there), and
//     a line that ends inside an open "(http..." URL continues once too (an
//     iPXE error URL broken by a narrower screen).
// A line is timed at its first visible byte.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rh {

struct ConsoleLine {
  double at_ms = 0;  // when its first visible byte arrived, from VM start
  std::string text;
};

class ConsoleDecoder {
 public:
  explicit ConsoleDecoder(std::size_t wrap_columns = 0) : wrap_columns_(wrap_columns) {}

  // Bytes that arrived at `at_ms`; lines they complete are appended to `out`.
  void feed(std::string_view bytes, double at_ms, std::vector<ConsoleLine>& out);
  // The line still open, if any, is appended to `out`.
  void finish(std::vector<ConsoleLine>& out);
  // The line being written, as cleaned so far.
  const std::string& partial() const { return current_; }

 private:
  enum class Escape { kNone, kEsc, kCsi, kOsc, kOscEsc };
  void feed_char(char c, double at_ms, std::vector<ConsoleLine>& out);
  bool feed_escape(char c, std::vector<ConsoleLine>& out);  // true: c was consumed
  void newline(std::vector<ConsoleLine>& out);
  void end_line(std::vector<ConsoleLine>& out);
  bool continues_on_next_line() const;

  std::size_t wrap_columns_;
  Escape escape_ = Escape::kNone;
  std::string current_;
  double current_at_ms_ = -1;
  int url_joins_ = 0;
};

// All lines of a chunk of console bytes (tests, logs read back from disk).
std::vector<std::string> console_lines(std::string_view bytes, std::size_t wrap_columns = 0);
// One raw line as it reads: the rules above within a single line.
std::string clean_console_line(std::string_view raw);

}  // namespace rh
