#include "harness/cli/completion.h"

#include <sstream>

#include "harness/cli/commands.h"

namespace rh {
namespace {

std::vector<const CLI::App*> subcommands(const CLI::App& app) {
  // CLI11 offers the filtered listing on non-const Apps only.
  auto& mutable_app = const_cast<CLI::App&>(app);
  const auto all = mutable_app.get_subcommands([](CLI::App*) { return true; });
  return {all.begin(), all.end()};
}

// Subcommand names, then long and short option names, space separated.
std::string words(const CLI::App& app) {
  std::string out;
  const auto add = [&out](const std::string& w) { out += (out.empty() ? "" : " ") + w; };
  for (const CLI::App* sub : subcommands(app)) add(sub->get_name());
  for (const CLI::Option* opt : app.get_options()) {
    for (const auto& n : opt->get_lnames()) add("--" + n);
    for (const auto& n : opt->get_snames()) add("-" + n);
  }
  return out;
}

}  // namespace

std::string bash_completion(const CLI::App& app) {
  std::ostringstream nested;
  std::ostringstream top;
  for (const CLI::App* sub : subcommands(app)) {
    top << "    " << sub->get_name() << ") words=\"" << words(*sub) << "\" ;;\n";
    for (const CLI::App* inner : subcommands(*sub)) {
      nested << "    \"" << sub->get_name() << " " << inner->get_name() << "\") words=\""
             << words(*inner) << "\" ;;\n";
    }
  }
  std::ostringstream script;
  script << "# bash completion for romharness, written by `romharness completion bash`\n"
            "_romharness() {\n"
            "  local cur=${COMP_WORDS[COMP_CWORD]} words=\n"
            "  if [[ $COMP_CWORD -eq 1 ]]; then\n"
            "    words=\""
         << words(app)
         << "\"\n"
            "  elif [[ $COMP_CWORD -gt 2 ]]; then\n"
            "    case \"${COMP_WORDS[1]} ${COMP_WORDS[2]}\" in\n"
         << nested.str()
         << "    esac\n"
            "  fi\n"
            "  if [[ -z $words ]]; then\n"
            "    case \"${COMP_WORDS[1]}\" in\n"
         << top.str()
         << "    esac\n"
            "  fi\n"
            "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
            "}\n"
            "complete -o default -F _romharness romharness\n";
  return script.str();
}

void add_completion_command(CLI::App& app, CliOptions& o) {
  CLI::App* completion =
      add_command(app, "completion", "print a shell completion script (bash)",
                  "Prints a completion script for the shell, made from the same definitions the "
                  "parser uses.",
                  "example:\n  source <(romharness completion bash)");
  completion->add_option("shell", o.completion_shell, "the shell")
      ->check(CLI::IsMember({"bash"}))
      ->required();
  completion->final_callback([&o, &app] {
    o.command = [&app](std::ostream& out, std::ostream&) {
      out << bash_completion(app);
      return 0;
    };
  });
}

}  // namespace rh
