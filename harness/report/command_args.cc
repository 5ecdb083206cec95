#include "harness/report/command_args.h"

#include <charconv>

#include "harness/core/error.h"

namespace rh {

CommandArgs::CommandArgs(std::string command, std::vector<std::string> args)
    : command_(std::move(command)), args_(std::move(args)) {}

bool CommandArgs::take_flag(const std::string& name) {
  for (auto it = args_.begin(); it != args_.end(); ++it) {
    if (*it == name) {
      args_.erase(it);
      return true;
    }
  }
  return false;
}

std::vector<std::string> CommandArgs::take_values(const std::string& name, size_t count) {
  for (size_t i = 0; i < args_.size(); ++i) {
    std::vector<std::string> values;
    size_t end = i + 1;
    if (args_[i].starts_with(name + "=")) {
      values.push_back(args_[i].substr(name.size() + 1));
    } else if (args_[i] != name) {
      continue;
    }
    while (values.size() < count && end < args_.size() && !args_[end].starts_with("--")) {
      values.push_back(args_[end++]);
    }
    if (values.size() < count) {
      throw InputError(command_ + ": option '" + name + "' needs " + std::to_string(count) +
                       (count == 1 ? " value" : " values"));
    }
    args_.erase(args_.begin() + static_cast<long>(i), args_.begin() + static_cast<long>(end));
    return values;
  }
  return {};
}

std::string CommandArgs::take_value(const std::string& name, const std::string& fallback) {
  auto v = take_values(name, 1);
  return v.empty() ? fallback : v[0];
}

long long CommandArgs::take_integer(const std::string& name, long long fallback) {
  std::string text = take_value(name);
  if (text.empty()) return fallback;
  long long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) {
    throw InputError(command_ + ": option '" + name + "' wants a whole number, got '" + text + "'");
  }
  return v;
}

double CommandArgs::take_number(const std::string& name, double fallback) {
  std::string text = take_value(name);
  if (text.empty()) return fallback;
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) {
    throw InputError(command_ + ": option '" + name + "' wants a number, got '" + text + "'");
  }
  return v;
}

std::vector<std::string> CommandArgs::take_positionals() {
  std::vector<std::string> out;
  for (auto it = args_.begin(); it != args_.end();) {
    if (it->starts_with("--")) {
      ++it;
    } else {
      out.push_back(*it);
      it = args_.erase(it);
    }
  }
  return out;
}

void CommandArgs::expect_done() const {
  if (args_.empty()) return;
  const std::string& first = args_.front();
  throw InputError(command_ +
                   (first.starts_with("--") ? ": unknown option '" : ": unexpected argument '") +
                   first + "'");
}

}  // namespace rh
