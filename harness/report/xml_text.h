// Text made safe for XML 1.0 (JUnit) and HTML: serial logs carry ANSI
// escapes, stray bytes and invalid UTF-8, which make Jenkins' and GitLab's
// parsers reject a whole report.
//
//   xml_escape("a < b & \x01 \xff");   // "a &lt; b &amp;  \xEF\xBF\xBD"
//   xml_cdata("x]]>y");                // "<![CDATA[x]]]]><![CDATA[>y]]>"
#pragma once

#include <string>
#include <string_view>

namespace rh {

// Valid UTF-8 holding only characters XML 1.0 allows: invalid sequences become
// U+FFFD; C0 controls other than tab, newline and CR, and U+FFFE/U+FFFF, are dropped.
std::string xml_safe_text(std::string_view raw);

// xml_safe_text, then &, <, >, " and ' as entities (valid in attributes and HTML too).
std::string xml_escape(std::string_view raw);

// A CDATA section; "]]>" in the text is split across two sections.
std::string xml_cdata(std::string_view raw);

}  // namespace rh
