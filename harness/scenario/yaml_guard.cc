#include "harness/scenario/yaml_guard.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "harness/core/error.h"

namespace rh {
namespace {

std::string hex_byte(unsigned char byte) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02x", byte);
  return text;
}

// "file:line:column" of a byte offset (1-based, columns in bytes).
std::string where_offset(std::string_view text, std::size_t offset, const std::string& name) {
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return name + ":" + std::to_string(line) + ":" + std::to_string(offset - line_start + 1);
}

std::string where_mark(const YAML::Mark& mark, const std::string& name) {
  if (mark.is_null()) return name;
  return name + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

// Length of the well-formed UTF-8 sequence at text[i] (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), 0 when there is none.
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xbf;  // allowed range of the second byte
  if (lead >= 0xc2 && lead <= 0xdf) {
    n = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    n = 3;
    if (lead == 0xe0) lo = 0xa0;  // overlong
    if (lead == 0xed) hi = 0x9f;  // surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    n = 4;
    if (lead == 0xf0) lo = 0x90;  // overlong
    if (lead == 0xf4) hi = 0x8f;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + n > text.size() || byte(1) < lo || byte(1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if ((byte(k) & 0xc0) != 0x80) return 0;
  }
  return n;
}

// Follows the parser's events: one frame per open map or list. In a map the
// nodes alternate key, value; scalar keys are remembered with their line.
// Aliases arrive as one event, so a document of nested aliases ("billion
// laughs") costs what its text costs, which a walk over the node tree would
// not.
class StructureChecker : public YAML::EventHandler {
 public:
  explicit StructureChecker(std::string name) : name_(std::move(name)) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) {
      throw InputError(where_mark(mark, name_) +
                       ": a second YAML document ('---'); a scenario file holds one scenario");
    }
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { node(mark, nullptr); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { node(mark, nullptr); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string& value) override {
    node(mark, &value);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    open(mark, false);
  }
  void OnSequenceEnd() override { frames_.pop_back(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    open(mark, true);
  }
  void OnMapEnd() override { frames_.pop_back(); }

 private:
  struct Frame {
    bool is_map = false;
    bool at_key = true;               // maps: the next node is a key
    std::map<std::string, int> keys;  // scalar key -> 1-based line
  };

  void open(const YAML::Mark& mark, bool is_map) {
    node(mark, nullptr);
    if (static_cast<int>(frames_.size()) >= kMaxYamlDepth) {
      throw InputError(where_mark(mark, name_) + ": maps and lists nested deeper than " +
                       std::to_string(kMaxYamlDepth) + " levels; no scenario needs that many");
    }
    frames_.push_back(Frame{.is_map = is_map});
  }

  // A node starts inside the innermost frame; `scalar` is its text if it is one.
  void node(const YAML::Mark& mark, const std::string* scalar) {
    if (frames_.empty() || !frames_.back().is_map) return;
    Frame& map = frames_.back();
    const bool is_key = map.at_key;
    map.at_key = !map.at_key;
    if (!is_key || scalar == nullptr) return;
    const int line = mark.line + 1;
    const auto [first, fresh] = map.keys.emplace(*scalar, line);
    if (!fresh) {
      throw InputError(where_mark(mark, name_) + ": duplicate key '" + *scalar +
                       "' (first at line " + std::to_string(first->second) + ")");
    }
  }

  std::string name_;
  std::vector<Frame> frames_;
  int documents_ = 0;
};

}  // namespace

std::string read_scenario_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError("cannot open '" + file.string() + "': no such file or not readable");
  // Read in pieces up to one byte past the limit: a buffer of the limit's
  // size would zero 4 MiB for every (small) file a run loads.
  std::string text;
  std::array<char, std::size_t{64} * 1024> piece{};
  while (text.size() <= kMaxScenarioFileBytes &&
         in.read(piece.data(), static_cast<std::streamsize>(piece.size())).gcount() > 0) {
    text.append(piece.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw InputError("cannot read '" + file.string() + "'");
  if (text.size() > kMaxScenarioFileBytes) {
    throw InputError(file.string() + ": larger than " + std::to_string(kMaxScenarioFileBytes) +
                     " bytes (4 MiB); a scenario file is hand-written YAML, is this the right "
                     "file?");
  }
  return text;
}

void check_scenario_bytes(std::string_view text, const std::string& display_name) {
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '\0') {
      throw InputError(where_offset(text, i, display_name) +
                       ": NUL byte; a scenario file is YAML text, this looks like a binary file");
    }
    const std::size_t n = utf8_sequence(text, i);
    if (n == 0) {
      throw InputError(where_offset(text, i, display_name) + ": byte " +
                       hex_byte(static_cast<unsigned char>(text[i])) +
                       " is not valid UTF-8; a scenario file is UTF-8 text");
    }
    i += n;
  }
}

void check_yaml_structure(const std::string& text, const std::string& display_name) {
  std::istringstream in(text);
  StructureChecker checker(display_name);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(checker)) {
    }
  } catch (const YAML::DeepRecursion& e) {
    throw InputError(where_mark(e.mark, display_name) + ": maps and lists nested too deeply (" +
                     std::to_string(e.depth()) + " levels)");
  } catch (const YAML::ParserException& e) {
    throw InputError(where_mark(e.mark, display_name) + ": invalid YAML: " + e.msg);
  }
}

}  // namespace rh
