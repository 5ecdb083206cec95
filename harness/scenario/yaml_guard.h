// Checks a scenario file passes before yaml-cpp builds its node tree, for
// what yaml-cpp lets through or reports badly:
//
// - size: a scenario is hand-written text; a mistyped path (an ISO, a disk
//   image, /dev/zero) is refused before it is read into memory;
// - bytes: NUL or invalid UTF-8 (yaml-cpp would parse garbage or answer
//   "bad file");
// - structure: a key given twice in one mapping (yaml-cpp keeps both and
//   node["key"] silently answers the first), nesting deeper than any
//   scenario needs (yaml-cpp's own guard stops at 2000 levels and says only
//   "bad file"), and a second YAML document (YAML::Load ignores it).
//
//   std::string text = read_scenario_text(path);   // size checked
//   check_scenario_bytes(text, path.string());      // NUL, UTF-8
//   check_yaml_structure(text, path.string());      // duplicates, depth
//
// Every error is an InputError "file:line:column: ...".
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace rh {

// The largest scenario file read. The biggest legitimate content is
// guestinfo, which ESXi caps at 1 MiB for a whole .vmx
// (core/guestinfo_limits.h); 4 MiB leaves room for that plus the rest, so
// guestinfo_total_error() gets to explain an oversized guestinfo itself.
inline constexpr std::size_t kMaxScenarioFileBytes = std::size_t{4} * 1024 * 1024;

// Nesting (maps and lists inside each other) allowed in a scenario file. The
// deepest real one is about 5 (faults: http: - match: ...); 64 is far beyond
// hand-written YAML and far below anything that strains the stack.
inline constexpr int kMaxYamlDepth = 64;

// The file's bytes; throws InputError when it cannot be read or holds more
// than kMaxScenarioFileBytes (checked while reading, so a device or a FIFO
// that never ends is refused too).
std::string read_scenario_text(const std::filesystem::path& file);

// Throws InputError naming the first NUL byte or invalid UTF-8 sequence.
void check_scenario_bytes(std::string_view text, const std::string& display_name);

// Throws InputError for a duplicate key (naming both lines), nesting deeper
// than kMaxYamlDepth, more than one document, or invalid YAML.
void check_yaml_structure(const std::string& text, const std::string& display_name);

}  // namespace rh
