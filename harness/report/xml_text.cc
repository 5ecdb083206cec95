#include "harness/report/xml_text.h"

#include "harness/core/utf8.h"

namespace rh {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

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
    size_t len = utf8_sequence_length(raw, i, &cp);
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
