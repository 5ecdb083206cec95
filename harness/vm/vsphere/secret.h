// A credential held in memory only: it has no stream operator and no
// implicit conversion, so it cannot slip into a message by accident, and
// redact() scrubs it (raw, XML-escaped and URL-encoded) from any text that
// might carry it before that text reaches a log, a report or an error.
//
//   Secret pw = Secret("s3cr&t");
//   std::string why = pw.redact(server_message);  // "... *** ..."
#pragma once

#include <string>

namespace rh::vsphere {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  // For the one place it is sent (the Login body); nowhere else.
  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }
  std::string redact(std::string text) const;

 private:
  std::string value_;
};

}  // namespace rh::vsphere
