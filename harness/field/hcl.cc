// The HCL subset reader behind terraform.h: a lexer that keeps newlines (they
// end attributes) and source offsets (for expressions kept as text), and a
// recursive-descent parser over its tokens.
#include <cctype>

#include "harness/core/error.h"
#include "harness/field/terraform.h"

namespace rh {
namespace {

enum class Tok { kIdent, kString, kTemplate, kNumber, kPunct, kNewline, kEnd };

struct Token {
  Tok kind;
  std::string text;  // decoded string, identifier, number, punctuation
  size_t begin = 0;  // source offsets
  size_t end = 0;
  int line = 0;
  int col = 0;
};

class Lexer {
 public:
  Lexer(std::string_view src, const std::string& name) : src_(src), name_(name) {}
  std::vector<Token> run();

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(name_ + ":" + std::to_string(line_) + ":" + std::to_string(col()) + ": " +
                     what);
  }
  int col() const { return static_cast<int>(pos_ - line_start_) + 1; }
  char peek(size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }
  void newline() {
    ++line_;
    line_start_ = pos_ + 1;
  }
  bool skip_comment();
  Token string_token();
  Token heredoc_token();
  void append_escape(std::string& out);
  void skip_interpolation(std::string& out);

  std::string_view src_;
  std::string name_;
  size_t pos_ = 0;
  size_t line_start_ = 0;
  int line_ = 1;
};

bool Lexer::skip_comment() {
  if (peek() == '#' || (peek() == '/' && peek(1) == '/')) {
    while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
    return true;
  }
  if (peek() == '/' && peek(1) == '*') {
    size_t close = src_.find("*/", pos_ + 2);
    if (close == std::string_view::npos) fail("unterminated /* comment");
    for (; pos_ < close + 2; ++pos_) {
      if (src_[pos_] == '\n') newline();
    }
    return true;
  }
  return false;
}

void Lexer::append_escape(std::string& out) {
  char c = peek(1);
  pos_ += 2;
  switch (c) {
    case 'n':
      out += '\n';
      return;
    case 'r':
      out += '\r';
      return;
    case 't':
      out += '\t';
      return;
    case '"':
      out += '"';
      return;
    case '\\':
      out += '\\';
      return;
    case 'u':
    case 'U': {
      size_t digits = c == 'u' ? 4 : 8;
      std::string hex(src_.substr(pos_, digits));
      if (hex.size() != digits || hex.find_first_not_of("0123456789abcdefABCDEF") != hex.npos) {
        fail("\\" + std::string(1, c) + " needs " + std::to_string(digits) + " hex digits");
      }
      pos_ += digits;
      unsigned long cp = std::stoul(hex, nullptr, 16);
      if (cp < 0x80)
        out += static_cast<char>(cp);
      else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | cp >> 6);
        out += static_cast<char>(0x80 | (cp & 0x3f));
      } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | cp >> 12);
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
      } else {
        out += static_cast<char>(0xf0 | cp >> 18);
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
      }
      return;
    }
    default:
      pos_ -= 2;
      fail(std::string("unknown escape '\\") + c + "' in string");
  }
}

// Copies "${ ... }" or "%{ ... }" as written, skipping nested strings.
void Lexer::skip_interpolation(std::string& out) {
  int depth = 0;
  bool in_string = false;
  for (; pos_ < src_.size(); ++pos_) {
    char c = src_[pos_];
    if (c == '\n') fail("newline inside ${...} in a string");
    out += c;
    if (in_string) {
      // A backslash escapes the next character; at the end of the input there
      // is none (found by hcl_fuzz).
      if (c == '\\' && pos_ + 1 < src_.size())
        out += src_[++pos_];
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      ++pos_;
      return;
    }
  }
  fail("unterminated ${ in string");
}

Token Lexer::string_token() {
  Token t{Tok::kString, "", pos_, 0, line_, col()};
  ++pos_;
  while (true) {
    char c = peek();
    if (pos_ >= src_.size() || c == '\n') {
      throw InputError(name_ + ":" + std::to_string(t.line) + ":" + std::to_string(t.col) +
                       ": unterminated string");
    }
    if (c == '"') break;
    if (c == '\\') {
      append_escape(t.text);
    } else if ((c == '$' || c == '%') && peek(1) == c && peek(2) == '{') {
      t.text += c;  // $${ is a literal ${
      t.text += '{';
      pos_ += 3;
    } else if ((c == '$' || c == '%') && peek(1) == '{') {
      t.kind = Tok::kTemplate;
      skip_interpolation(t.text);
    } else {
      t.text += c;
      ++pos_;
    }
  }
  ++pos_;
  t.end = pos_;
  return t;
}

// <<EOF ... EOF and <<-EOF (indented; common leading blanks removed).
Token Lexer::heredoc_token() {
  Token t{Tok::kString, "", pos_, 0, line_, col()};
  pos_ += 2;
  bool indented = peek() == '-';
  if (indented) ++pos_;
  size_t id_begin = pos_;
  while (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_') ++pos_;
  std::string id(src_.substr(id_begin, pos_ - id_begin));
  if (id.empty() || peek() != '\n') fail("expected a heredoc marker like <<EOF at end of line");
  std::vector<std::string> lines;
  while (true) {
    newline();
    ++pos_;
    size_t eol = src_.find('\n', pos_);
    if (eol == std::string_view::npos) eol = src_.size();
    std::string line(src_.substr(pos_, eol - pos_));
    size_t first = line.find_first_not_of(" \t");
    if (first != std::string::npos && line.substr(first) == id) {
      pos_ = eol;
      break;
    }
    if (eol == src_.size()) fail("heredoc <<" + id + " is never closed");
    lines.push_back(line);
    pos_ = eol;
  }
  size_t strip = std::string::npos;
  for (const std::string& l : lines) {
    size_t n = l.find_first_not_of(" \t");
    if (indented && n != std::string::npos) strip = std::min(strip, n);
  }
  for (const std::string& l : lines) {
    t.text += (indented && strip != std::string::npos && l.size() >= strip) ? l.substr(strip) : l;
    t.text += '\n';
  }
  if (t.text.find("${") != std::string::npos) t.kind = Tok::kTemplate;
  t.end = pos_;
  return t;
}

std::vector<Token> Lexer::run() {
  std::vector<Token> tokens;
  while (pos_ < src_.size()) {
    char c = peek();
    if (c == ' ' || c == '\t' || c == '\r') {
      ++pos_;
    } else if (skip_comment()) {
    } else if (c == '\n') {
      tokens.push_back({Tok::kNewline, "\n", pos_, pos_ + 1, line_, col()});
      newline();
      ++pos_;
    } else if (c == '"') {
      tokens.push_back(string_token());
    } else if (c == '<' && peek(1) == '<') {
      tokens.push_back(heredoc_token());
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      Token t{Tok::kIdent, "", pos_, 0, line_, col()};
      while (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_' || peek() == '-') {
        t.text += src_[pos_++];
      }
      t.end = pos_;
      tokens.push_back(t);
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      Token t{Tok::kNumber, "", pos_, 0, line_, col()};
      while (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '.') {
        t.text += src_[pos_++];
      }
      t.end = pos_;
      tokens.push_back(t);
    } else if (std::string_view("={}[](),:.+-*/%!<>&|?").find(c) != std::string_view::npos) {
      tokens.push_back({Tok::kPunct, std::string(1, c), pos_, pos_ + 1, line_, col()});
      ++pos_;
    } else {
      fail(std::string("unexpected character '") + c + "'");
    }
  }
  tokens.push_back({Tok::kEnd, "end of file", pos_, pos_, line_, col()});
  return tokens;
}

class Parser {
 public:
  Parser(std::string_view src, std::vector<Token> tokens, const std::string& name)
      : src_(src), tokens_(std::move(tokens)), name_(name) {}

  HclBody body(const char* closer);

 private:
  const Token& cur() const { return tokens_[pos_]; }
  bool at(Tok kind, const char* text = nullptr) const {
    return cur().kind == kind && (!text || cur().text == text);
  }
  [[noreturn]] void fail(const std::string& expected) const {
    std::string found = cur().kind == Tok::kNewline ? "end of line" : cur().text;
    throw InputError(name_ + ":" + std::to_string(cur().line) + ":" + std::to_string(cur().col) +
                     ": expected " + expected + ", found '" + found + "'");
  }
  void skip_newlines() {
    while (at(Tok::kNewline)) ++pos_;
  }
  bool ends_value() const {
    return at(Tok::kNewline) || at(Tok::kEnd) || at(Tok::kPunct, ",") || at(Tok::kPunct, "}") ||
           at(Tok::kPunct, "]");
  }
  HclValue value();
  HclValue literal();
  HclValue expression(size_t start);
  HclValue object();
  HclValue list();
  HclBlock block(const Token& type);

  std::string_view src_;
  std::vector<Token> tokens_;
  std::string name_;
  size_t pos_ = 0;
};

HclBody Parser::body(const char* closer) {
  HclBody b;
  while (true) {
    skip_newlines();
    if (closer ? at(Tok::kPunct, closer) : at(Tok::kEnd)) return b;
    if (!at(Tok::kIdent)) fail(closer ? "an attribute, a block or '}'" : "an attribute or a block");
    Token name = cur();
    ++pos_;
    if (at(Tok::kPunct, "=")) {
      ++pos_;
      b.attributes.push_back({name.text, value(), name.line});
      if (!at(Tok::kNewline) && !at(Tok::kEnd) && !(closer && at(Tok::kPunct, closer))) {
        fail("end of line after the value of '" + name.text + "'");
      }
    } else {
      b.blocks.push_back(block(name));
    }
  }
}

HclBlock Parser::block(const Token& type) {
  HclBlock blk{type.text, {}, {}, type.line};
  while (at(Tok::kString) || at(Tok::kIdent)) blk.labels.push_back(tokens_[pos_++].text);
  if (!at(Tok::kPunct, "{")) fail("'=' or '{' after '" + type.text + "'");
  ++pos_;
  blk.body = body("}");
  ++pos_;
  return blk;
}

HclValue Parser::value() {
  size_t start = pos_;
  if (ends_value()) fail("a value");
  HclValue v = literal();
  if (v.kind != HclValue::Kind::kExpression && ends_value()) return v;
  return expression(start);  // a literal inside a larger expression: keep the text
}

HclValue Parser::literal() {
  const Token& t = cur();
  HclValue v;
  v.line = t.line;
  if (at(Tok::kPunct, "{")) return object();
  if (at(Tok::kPunct, "[")) return list();
  if (at(Tok::kString))
    v.kind = HclValue::Kind::kString;
  else if (at(Tok::kNumber))
    v.kind = HclValue::Kind::kNumber;
  else if (at(Tok::kIdent, "true") || at(Tok::kIdent, "false"))
    v.kind = HclValue::Kind::kBool;
  else
    return v;  // kExpression; the caller collects it
  v.text = t.text;
  ++pos_;
  return v;
}

// Everything up to the end of the value, balanced in (), [] and {}.
HclValue Parser::expression(size_t start) {
  pos_ = start;
  int depth = 0;
  while (!at(Tok::kEnd) && (depth > 0 || !ends_value())) {
    if (at(Tok::kPunct, "(") || at(Tok::kPunct, "[") || at(Tok::kPunct, "{")) ++depth;
    if (at(Tok::kPunct, ")") || at(Tok::kPunct, "]") || at(Tok::kPunct, "}")) --depth;
    ++pos_;
  }
  HclValue v;
  v.kind = HclValue::Kind::kExpression;
  v.line = tokens_[start].line;
  v.text =
      std::string(src_.substr(tokens_[start].begin, tokens_[pos_ - 1].end - tokens_[start].begin));
  return v;
}

HclValue Parser::object() {
  HclValue v;
  v.kind = HclValue::Kind::kObject;
  v.line = cur().line;
  ++pos_;
  while (true) {
    while (at(Tok::kNewline) || at(Tok::kPunct, ",")) ++pos_;
    if (at(Tok::kPunct, "}")) break;
    if (!at(Tok::kString) && !at(Tok::kIdent)) fail("a key (\"name\" or name) or '}'");
    v.keys.push_back(cur().text);
    ++pos_;
    if (!at(Tok::kPunct, "=") && !at(Tok::kPunct, ":"))
      fail("'=' after key '" + v.keys.back() + "'");
    ++pos_;
    v.items.push_back(value());
  }
  ++pos_;
  return v;
}

HclValue Parser::list() {
  HclValue v;
  v.kind = HclValue::Kind::kList;
  v.line = cur().line;
  ++pos_;
  while (true) {
    while (at(Tok::kNewline) || at(Tok::kPunct, ",")) ++pos_;
    if (at(Tok::kPunct, "]")) break;
    v.items.push_back(value());
  }
  ++pos_;
  return v;
}

}  // namespace

HclBody parse_hcl(std::string_view text, const std::string& display_name) {
  std::vector<Token> tokens = Lexer(text, display_name).run();
  return Parser(text, std::move(tokens), display_name).body(nullptr);
}

}  // namespace rh
