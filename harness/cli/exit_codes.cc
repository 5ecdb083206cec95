#include "harness/cli/exit_codes.h"

#include <filesystem>

#include "harness/cli/suggest.h"
#include "harness/core/error.h"

namespace rh {
namespace {

// The subcommand the parse got to ("lab sweep" in `romharness lab sweep ...`).
CLI::App& deepest(CLI::App& app) {
  const auto chosen = app.get_subcommands();
  return chosen.empty() ? app : deepest(*chosen.front());
}

// "romharness lab sweep"
std::string command_path(const CLI::App& app) {
  const CLI::App* parent = app.get_parent();
  return parent == nullptr ? "romharness" : command_path(*parent) + " " + app.get_name();
}

std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* opt : app.get_options()) {
    for (const auto& n : opt->get_lnames()) names.push_back("--" + n);
    for (const auto& n : opt->get_snames()) names.push_back("-" + n);
  }
  return names;
}

// The first unknown "-x" / "--name[=value]" the parse left over, or "".
std::string unknown_option(const CLI::App& app) {
  for (const auto& extra : app.remaining()) {
    if (extra.size() > 1 && extra[0] == '-') return extra.substr(0, extra.find('='));
  }
  return "";
}

int extras_error(CLI::App& app, std::ostream& err) {
  const std::string where = command_path(app);
  const std::string word = unknown_option(app);
  if (word.empty()) {
    const auto extras = app.remaining();
    err << where << ": unexpected argument '" << (extras.empty() ? "" : extras.front()) << "' (see "
        << where << " --help)\n";
    return kExitUsage;
  }
  const std::string near = nearest(word, option_names(app));
  err << where << ": unknown option '" << word << "' ("
      << (near.empty() ? "" : "did you mean '" + near + "'? ") << "see " << where << " --help)\n";
  return kExitUsage;
}

int parse_error(CLI::App& app, const CLI::ParseError& e, std::ostream& out, std::ostream& err) {
  if (dynamic_cast<const CLI::CallForHelp*>(&e) != nullptr) {
    out << app.help();  // CLI11 hands this to the subcommand that was asked
    return kExitOk;
  }
  CLI::App& sub = deepest(app);
  // A misspelt option explains a missing required one ("--labb x"): name the typo.
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr || !unknown_option(sub).empty()) {
    return extras_error(sub, err);
  }
  const std::string where = command_path(sub);
  err << where << ": " << e.what() << " (see " << where << " --help)\n";
  return kExitUsage;
}

}  // namespace

int exit_code_of(CLI::App& app, const std::function<int()>& body, std::ostream& out,
                 std::ostream& err) {
  try {
    return body();
  } catch (const CLI::ParseError& e) {
    return parse_error(app, e, out, err);
  } catch (const InputError& e) {
    err << "romharness: " << e.what() << "\n";
  } catch (const std::filesystem::filesystem_error& e) {
    err << "romharness: " << e.what() << "\n";
  } catch (const SetupError& e) {
    err << "romharness: set-up: " << e.what() << "\n";
  } catch (const std::exception& e) {
    err << "romharness: internal error: " << e.what() << "\n";
  }
  return kExitUsage;
}

int unknown_command(CLI::App& app, const std::string& name, std::ostream& err) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  const std::string near = nearest(name, names);
  err << "romharness: unknown command '" << name << "' ("
      << (near.empty() ? "" : "did you mean '" + near + "'? ") << "see romharness --help)\n";
  return kExitUsage;
}

}  // namespace rh
