// Strict UTF-8 (RFC 3629): what the YAML, JSON and XML writers can carry
// unchanged. Overlong forms, surrogates and code points past U+10FFFF are
// invalid: yaml-cpp's emitter rewrites them, so a value that passed a
// looser check came back different from the one read.
#pragma once

#include <cstddef>
#include <string_view>

namespace rh {

// Length of the valid UTF-8 sequence at s[i] (1 to 4), 0 when it is not one.
// Its code point goes to *code_point when that is given.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i, char32_t* code_point = nullptr);

bool valid_utf8(std::string_view s);

}  // namespace rh
