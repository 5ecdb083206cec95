#include "harness/cli/args.h"

#include "harness/core/error.h"

namespace rh {

std::optional<std::string> Args::value_flag(std::initializer_list<const char*> names) {
  const auto all = values_flag(names);
  if (all.size() > 1) {
    throw InputError("option '" + std::string(*names.begin()) + "' given " +
                     std::to_string(all.size()) + " times");
  }
  if (all.empty()) return std::nullopt;
  return all.front();
}

std::vector<std::string> Args::values_flag(std::initializer_list<const char*> names) {
  std::vector<std::string> found;
  for (std::size_t i = 0; i < args_.size();) {
    bool matched = false;
    for (const char* name : names) {
      const std::string n = name;
      if (args_[i] == n) {
        if (i + 1 >= args_.size()) throw InputError("option '" + n + "' needs a value");
        found.push_back(args_[i + 1]);
        args_.erase(args_.begin() + static_cast<std::ptrdiff_t>(i),
                    args_.begin() + static_cast<std::ptrdiff_t>(i) + 2);
        matched = true;
        break;
      }
      if (args_[i].starts_with(n + "=")) {
        found.push_back(args_[i].substr(n.size() + 1));
        args_.erase(args_.begin() + static_cast<std::ptrdiff_t>(i));
        matched = true;
        break;
      }
    }
    if (!matched) ++i;
  }
  return found;
}

std::string Args::string_flag(std::initializer_list<const char*> names,
                              const std::string& fallback) {
  return value_flag(names).value_or(fallback);
}

int Args::int_flag(std::initializer_list<const char*> names, int fallback, int lo, int hi) {
  const auto text = value_flag(names);
  if (!text) return fallback;
  std::size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(*text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text->size() || value < lo || value > hi) {
    throw InputError("option '" + std::string(*names.begin()) + "' needs a whole number from " +
                     std::to_string(lo) + " to " + std::to_string(hi) + ", got '" + *text + "'");
  }
  return value;
}

bool Args::bool_flag(std::initializer_list<const char*> names) {
  bool found = false;
  for (const char* name : names) {
    for (auto it = args_.begin(); it != args_.end();) {
      if (*it == name) {
        found = true;
        it = args_.erase(it);
      } else {
        ++it;
      }
    }
  }
  return found;
}

std::vector<std::string> Args::positionals() const {
  for (const auto& a : args_) {
    if (a.size() > 1 && a[0] == '-') throw InputError("unknown option '" + a + "' (see --help)");
  }
  return args_;
}

}  // namespace rh
