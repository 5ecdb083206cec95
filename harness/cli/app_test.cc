// The App as a whole: help for every command, typos, unknown commands, the
// exit-code mapping and the bash completion written from the definitions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/cli/completion.h"
#include "harness/cli/exit_codes.h"
#include "harness/cli/parse_for_test.h"
#include "harness/core/error.h"

namespace rh {
namespace {
using testing::cli;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// "run", "lab sweep", ...: every command a user can type.
std::vector<std::vector<std::string>> command_paths(CLI::App& app,
                                                    const std::vector<std::string>& prefix = {}) {
  std::vector<std::vector<std::string>> paths;
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    auto path = prefix;
    path.push_back(sub->get_name());
    paths.push_back(path);
    for (auto& inner : command_paths(*sub, path)) paths.push_back(inner);
  }
  return paths;
}

TEST(App, NoArgumentsPrintsHelpAndExitsTwo) {
  const auto r = cli({});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.out, HasSubstr("romharness run scenarios -j 2"));
  EXPECT_THAT(r.out, HasSubstr("import-vmx"));
}

TEST(App, HelpExitsZero) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"}, {"-h"}, {"help"}}) {
    const auto r = cli(args);
    EXPECT_EQ(r.code, 0) << args[0];
    EXPECT_THAT(r.out, HasSubstr("examples:")) << args[0];
  }
}

TEST(App, EveryCommandsHelpExitsZeroWithAnExample) {
  testing::Parsed p;
  const auto paths = command_paths(*p.app);
  ASSERT_GE(paths.size(), 13u);  // 11 commands, lab (+ sweep), completion
  for (auto args : paths) {
    args.push_back("--help");
    const auto r = cli(args);
    EXPECT_EQ(r.code, 0) << args[0];
    EXPECT_THAT(r.out, HasSubstr("example")) << args[0] << "\n" << r.out;
    EXPECT_THAT(r.out, HasSubstr("romharness " + args[0])) << r.out;
    EXPECT_EQ(r.err, "");
  }
}

TEST(App, RunHelpNamesItsOptions) {
  const auto r = cli({"run", "--help"});
  for (const char* option : {"--accel MODE", "-j,--jobs N", "--shard I/N", "--retries N",
                             "--backend NAME", "--connect URI", "--rom VARIANT[/NIC]=FILE"}) {
    EXPECT_THAT(r.out, HasSubstr(option));
  }
}

TEST(App, TypoSuggestsTheNearestOption) {
  const auto r = cli({"run", "--acel", "tcg"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "romharness run: unknown option '--acel' (did you mean '--accel'? see romharness run "
            "--help)\n");
  EXPECT_THAT(cli({"run", "--acel=tcg"}).err, HasSubstr("did you mean '--accel'?"));
  EXPECT_THAT(cli({"repro", "s.yaml", "--repaet", "3"}).err, HasSubstr("did you mean '--repeat'?"));
  EXPECT_THAT(cli({"lab", "sweep", "--labb", "x"}).err,
              StartsWith("romharness lab sweep: unknown option '--labb' (did you mean '--lab'?"));
  EXPECT_THAT(cli({"run", "--zzzzzzzz"}).err,
              HasSubstr("unknown option '--zzzzzzzz' (see romharness run --help)"));
}

TEST(App, UnknownCommandSuggestsTheNearest) {
  auto r = cli({"rnu"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "romharness: unknown command 'rnu' (did you mean 'run'? see romharness --help)\n");
  r = cli({"inspcet"});
  EXPECT_THAT(r.err, HasSubstr("did you mean 'inspect'?"));
  r = cli({"boot"});
  EXPECT_EQ(r.err, "romharness: unknown command 'boot' (see romharness --help)\n");
  r = cli({"lab"});
  EXPECT_EQ(r.code, 2);
}

TEST(ExitCodes, ErrorsMapToTwoWithTheirPrefix) {
  testing::Parsed p;
  std::ostringstream out, err;
  EXPECT_EQ(exit_code_of(
                *p.app, []() -> int { throw InputError("bad 'x'"); }, out, err),
            2);
  EXPECT_EQ(exit_code_of(
                *p.app, []() -> int { throw SetupError("no qemu"); }, out, err),
            2);
  EXPECT_EQ(exit_code_of(
                *p.app, []() -> int { throw std::logic_error("oops"); }, out, err),
            2);
  EXPECT_EQ(err.str(),
            "romharness: bad 'x'\nromharness: set-up: no qemu\nromharness: internal error: oops\n");
  EXPECT_EQ(exit_code_of(
                *p.app, [] { return 1; }, out, err),
            1);
  EXPECT_EQ(exit_code_of(
                *p.app, [] { return kExitInterrupted; }, out, err),
            130);
}

TEST(Completion, ListsEverySubcommandAndTheirOptions) {
  testing::Parsed p;
  const auto r = cli({"completion", "bash"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, bash_completion(*p.app));
  EXPECT_THAT(r.out, HasSubstr("complete -o default -F _romharness romharness"));
  for (const auto& path : command_paths(*p.app)) {
    EXPECT_THAT(r.out, HasSubstr(path.back())) << path.back();
  }
  const std::size_t run_case = r.out.find("    run) words=\"");
  ASSERT_NE(run_case, std::string::npos) << r.out;
  const std::string run_words = r.out.substr(run_case, r.out.find('\n', run_case) - run_case);
  for (const char* option : {"--accel", "--jobs", "-j", "--shard", "--retries", "--rom"}) {
    EXPECT_THAT(run_words, HasSubstr(std::string(" ") + option + " ")) << run_words;
  }
  EXPECT_THAT(r.out, HasSubstr("\"lab sweep\") words=\""));
  EXPECT_EQ(cli({"completion", "zsh"}).code, 2);
}

}  // namespace
}  // namespace rh
