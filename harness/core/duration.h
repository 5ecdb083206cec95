// Durations as users write them in scenario files and on the command line.
//
//   parse_duration("1.5s")  -> 1500ms      shown_duration(1500ms) -> "1500ms"
//   parse_duration("2m")    -> 120000ms    shown_duration(120000ms) -> "120s"
#pragma once

#include <chrono>
#include <string>

namespace rh {

// "30s", "500ms", "2m", "1.5s" -> milliseconds; throws std::invalid_argument
// with a message naming the accepted forms.
std::chrono::milliseconds parse_duration(const std::string& text);

// The other way, for messages: whole seconds as "150s", else "1500ms".
std::string shown_duration(std::chrono::milliseconds d);

}  // namespace rh
