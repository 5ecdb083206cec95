#include "harness/report/xml_text.h"

namespace rh {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at s[i] and its code point, or 0 if invalid.
size_t decode_utf8(std::string_view s, size_t i, char32_t& cp) {
  unsigned char c = s[i];
  size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  cp = len == 1 ? c : c & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    unsigned char cc = s[i + k];
    if ((cc >> 6) != 0x2) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;  // overlong, surrogate
  return len;
}

bool xml_allowed(char32_t cp) {
  if (cp < 0x20) return cp == '\t' || cp == '\n' || cp == '\r';
  return cp != 0xFFFE && cp != 0xFFFF;
}

}  // namespace

std::string xml_safe_text(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size();) {
    char32_t cp = 0;
    size_t len = decode_utf8(raw, i, cp);
    if (len == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (xml_allowed(cp)) out.append(raw.substr(i, len));
    i += len;
  }
  return out;
}

std::string xml_escape(std::string_view raw) {
  std::string out;
  for (char c : xml_safe_text(raw)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string xml_cdata(std::string_view raw) {
  std::string text = xml_safe_text(raw);
  std::string out = "<![CDATA[";
  size_t from = 0;
  for (size_t at; (at = text.find("]]>", from)) != std::string::npos; from = at + 2) {
    out.append(text, from, at + 2 - from);
    out += "]]><![CDATA[";
  }
  out.append(text, from);
  return out + "]]>";
}

}  // namespace rh
