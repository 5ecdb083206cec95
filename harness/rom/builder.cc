#include "harness/rom/builder.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "harness/core/cache_root.h"
#include "harness/core/error.h"
#include "harness/core/hash.h"
#include "harness/core/process.h"
#include "harness/core/text.h"
#include "harness/rom/build_tree.h"

namespace rh {
namespace fs = std::filesystem;
namespace {

constexpr auto kMakeTimeout = std::chrono::minutes(60);
constexpr std::size_t kLastLogLines = 15;

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw SetupError("cannot write '" + path.string() + "'");
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string unique_suffix() {
  static std::atomic<unsigned> counter{0};
  std::random_device rd;
  return std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
         std::to_string(rd() % 100000);
}

std::string safe_name(std::string text) {
  for (char& c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') c = '_';
  }
  return text;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string indent(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += "  " + line + "\n";
  return out;
}

// A ROM found in (or just published to) the cache.
BuiltRom cached_rom(const BuildRequest& request, const NicTarget& target, const fs::path& dir,
                    bool hit) {
  BuiltRom rom{.label = request.spec.label(),
               .variant = request.spec.set_name,
               .without = request.spec.without,
               .nic = target.nic,
               .platform = target.platform,
               .target = target.target,
               .path = dir / fs::path(target.target).filename(),
               .budget = target.budget,
               .cache_hit = hit};
  rom.size = fs::file_size(rom.path);
  const auto provenance = nlohmann::json::parse(read_whole_file(dir / "provenance.json"));
  for (const auto& [key, value] : provenance.items())
    rom.provenance[key] = value.get<std::string>();
  rom.sha256 = rom.provenance["sha256"];
  return rom;
}

// The work of one make invocation, on one worker thread.
struct BuildJob {
  const BuildRequest* request;
  std::vector<NicTarget> missing;
  std::vector<std::string> keys;  // parallel to `missing`
  int make_jobs = 1;
};

// ccache, when installed, shares objects between variants and between
// configurations' trees: each configuration builds in a tree of its own
// (build_tree.h), so the tree's directory must not be part of the hash
// (iPXE builds with -g, which would put it there). iPXE's own Makefile keeps
// embedded files out of ccache (they are not seen as dependencies).
// CCACHE_DISABLE=1 in the environment turns it off, as for any ccache user.
std::map<std::string, std::string> compiler_cache_env(const fs::path& trees) {
  return {{"CCACHE_NOHASHDIR", "1"}, {"CCACHE_BASEDIR", trees.string()}};
}

// One tree per configuration and platform: the settings decide what make
// must rebuild, the platform which bin directory it builds in.
std::string tree_key(const BuildSpec& spec) {
  return spec.platform + "-" + config_hash(spec).substr(0, 16);
}

std::string describe(const TreeSync& sync) {
  std::string text = "tree: " + std::to_string(sync.written) + " files written, " +
                     std::to_string(sync.removed) + " removed, " + std::to_string(sync.unchanged) +
                     " unchanged";
  if (sync.wiped) text += "; an unfinished build's tree was wiped first";
  if (!sync.seeded_from.empty()) text += "; started as a copy of " + sync.seeded_from;
  return text;
}

class JobRunner {
 public:
  JobRunner(const IpxeSource& source, const std::string& compiler, const fs::path& cache,
            std::ostream* progress)
      : source_(source),
        compiler_(compiler),
        cache_(cache),
        progress_(progress),
        ccache_(!find_in_path("ccache").empty()) {}

  void run(const BuildJob& job, BuildResult& result, std::mutex& lock) {
    const std::string label = job.request->spec.label();
    say("building " + label + " (" + std::to_string(job.missing.size()) + " target" +
        (job.missing.size() == 1 ? "" : "s") + ", make -j" + std::to_string(job.make_jobs) + ")");
    const fs::path work = cache_ / "tmp" / (safe_name(label) + "-" + unique_suffix());
    try {
      auto roms = build_in(work, job);
      std::lock_guard guard(lock);
      result.roms.insert(result.roms.end(), roms.begin(), roms.end());
      say("built " + label);
    } catch (const std::exception& e) {
      std::lock_guard guard(lock);
      result.failures.push_back({.label = label, .message = e.what(), .log = log_path(label)});
      say("FAILED " + label);
    }
    std::error_code ignored;
    fs::remove_all(work, ignored);
  }

 private:
  void say(const std::string& line) {
    if (progress_ == nullptr) return;
    std::lock_guard guard(say_lock_);
    *progress_ << line << "\n" << std::flush;
  }

  fs::path log_path(const std::string& label) const {
    return cache_ / "logs" / (safe_name(label) + ".log");
  }

  // `work` receives the source's export; make runs in the configuration's
  // tree, which keeps its objects from one build to the next.
  std::vector<BuiltRom> build_in(const fs::path& work, const BuildJob& job) {
    const BuildSpec& spec = job.request->spec;
    copy_source(source_, work);
    BuildTree tree = BuildTree::open(cache_ / "rom-trees", tree_key(spec), spec.platform);
    tree.sync_from(work / "src");
    tree.set_config(config_files(spec, tree.src()));
    std::vector<std::string> targets;
    for (const auto& t : job.missing) targets.push_back(t.target);
    auto argv = make_argv(spec, targets, job.make_jobs,
                          {.commit = source_.commit, .commit_time = source_.commit_time});
    if (ccache_) argv.push_back("CC=ccache gcc");
    tree.begin(targets);
    const std::string log = run_make(argv, tree, spec);
    std::vector<BuiltRom> roms;
    for (std::size_t i = 0; i < job.missing.size(); ++i) {
      roms.push_back(publish(*job.request, job.missing[i], job.keys[i], tree.src(), log));
    }
    return roms;
  }

  // config/local/<header> for each of the spec's headers, and its embedded script.
  std::map<std::string, std::string> config_files(const BuildSpec& spec, const fs::path& src) {
    std::map<std::string, std::string> files;
    for (const auto& [header, text] : generate_config_headers(spec)) {
      if (!fs::exists(src / "config" / header)) {
        throw InputError(spec.label() + ": config header '" + header +
                         "' is not one of iPXE's (no src/config/" + header + " in '" +
                         source_.spec + "')");
      }
      files["config/local/" + header] = text;
    }
    if (!spec.script.empty()) files[kEmbeddedScriptName] = read_whole_file(spec.script);
    return files;
  }

  // Runs make in the tree; returns the combined log, or throws with the
  // compiler's errors. A make that ends by itself leaves a sound tree, one
  // killed at the timeout does not (the next build wipes it).
  std::string run_make(const std::vector<std::string>& argv, BuildTree& tree,
                       const BuildSpec& spec) {
    const fs::path& src = tree.src();
    const auto start = std::chrono::steady_clock::now();
    // LC_ALL=C: ASCII quotes in compiler messages, whatever the user's locale.
    auto env =
        ccache_ ? compiler_cache_env(cache_ / "rom-trees") : std::map<std::string, std::string>{};
    env["LC_ALL"] = "C";
    ProcessSpec ps{.argv = argv,
                   .cwd = src,
                   .env = env,
                   .stdout_path = src / ".romharness-make.out",
                   .stderr_path = src / ".romharness-make.err"};
    Process make = Process::start(ps);
    std::optional<ExitStatus> status = make.wait_for(kMakeTimeout);
    const bool timed_out = !status;
    if (!status) status = make.stop(std::chrono::seconds(5));
    if (!timed_out) tree.finished();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string err = read_whole_file(ps.stderr_path);
    const std::string log = "romharness build " + spec.label() + "\nsource: " + source_.spec +
                            " (" + source_.provenance() + ")\ncompiler: " + compiler_ +
                            "\nin: " + src.string() + "\n" + describe(tree.sync()) + "\n$ " +
                            shell_quote(argv) + "\n\n" + read_whole_file(ps.stdout_path) +
                            "\n== stderr ==\n" + err + "\n== " + status->describe() + " after " +
                            std::to_string(seconds) + " s ==\n";
    fs::create_directories(log_path(spec.label()).parent_path());
    write_text(log_path(spec.label()), log);
    if (!status->ok()) throw SetupError(failure_message(spec, *status, timed_out, log));
    return log;
  }

  std::string failure_message(const BuildSpec& spec, const ExitStatus& status, bool timed_out,
                              const std::string& log) {
    auto lines = split_lines(log);
    const std::size_t tail = std::min(lines.size(), kLastLogLines);
    std::string message = "make for " + spec.label() + " failed (" +
                          (timed_out ? "timed out, " : std::string()) + status.describe() + ")";
    const auto errors = error_lines(log);
    if (!errors.empty()) message += "; compiler errors:\n" + indent(errors);
    message += (errors.empty() ? "; " : "") + std::string("last lines of the log:\n") +
               indent({lines.end() - static_cast<long>(tail), lines.end()});
    return message + "full log: " + log_path(spec.label()).string();
  }

  BuiltRom publish(const BuildRequest& request, const NicTarget& target, const std::string& key,
                   const fs::path& src, const std::string& log) {
    const fs::path built = src / target.target;
    if (!fs::is_regular_file(built)) {
      throw SetupError("make for " + request.spec.label() + " succeeded but left no '" +
                       target.target + "'; see " + log_path(request.spec.label()).string());
    }
    const fs::path final_dir = cache_ / "roms" / key;
    const fs::path tmp = cache_ / "roms" / (".tmp-" + key + "-" + unique_suffix());
    fs::create_directories(tmp);
    fs::copy_file(built, tmp / built.filename());
    write_text(tmp / "build.log", log);
    write_text(tmp / "provenance.json", provenance(request, target, key, built).dump(2) + "\n");
    std::error_code ec;
    fs::rename(tmp, final_dir, ec);
    if (ec) fs::remove_all(tmp);  // published meanwhile by another build of the same key
    return cached_rom(request, target, final_dir, false);
  }

  nlohmann::json provenance(const BuildRequest& request, const NicTarget& target,
                            const std::string& key, const fs::path& built) {
    return {{"ipxe_commit", source_.provenance()},
            {"ipxe_source", source_.spec},
            {"config_hash", config_hash(request.spec)},
            {"compiler", compiler_},
            {"built_at", utc_now()},
            {"cache_key", key},
            {"make_target", target.target},
            {"variant", request.spec.label()},
            {"sha256", sha256_file_hex(built)}};
  }

  const IpxeSource& source_;
  const std::string& compiler_;
  fs::path cache_;
  std::ostream* progress_;
  bool ccache_;
  std::mutex say_lock_;
};

// Results in request order, however the workers finished.
void sort_like_requests(const std::vector<BuildRequest>& requests, std::vector<BuiltRom>& roms) {
  std::map<std::pair<std::string, std::string>, std::size_t> position;
  for (const auto& request : requests) {
    for (const auto& target : request.targets) {
      position.emplace(std::pair(request.spec.label(), target.nic), position.size());
    }
  }
  std::stable_sort(roms.begin(), roms.end(), [&](const BuiltRom& a, const BuiltRom& b) {
    return position[{a.label, a.nic}] < position[{b.label, b.nic}];
  });
}

}  // namespace

std::string compiler_version() {
  const CommandOutput r = run_command({"gcc", "--version"}, std::chrono::seconds(30));
  if (!r.status.ok()) throw SetupError("'gcc --version' failed (" + r.status.describe() + ")");
  return r.out.substr(0, r.out.find('\n'));
}

std::vector<std::string> error_lines(const std::string& log, std::size_t max_lines) {
  std::vector<std::string> out;
  for (const auto& line : split_lines(log)) {
    if (line.find("error:") != std::string::npos || line.find("Error ") != std::string::npos) {
      if (out.size() == max_lines) break;
      out.push_back(line);
    }
  }
  return out;
}

RomBuilder::RomBuilder(BuildContext context) : context_(std::move(context)) {
  if (context_.ipxe_src.empty()) {
    if (const char* env = std::getenv("ROMHARNESS_IPXE_SRC")) context_.ipxe_src = env;
  }
  if (context_.cache_dir.empty()) context_.cache_dir = cache_root();
  context_.jobs = std::max(1, context_.jobs);
  catalog_ = VariantCatalog::load(context_.variants);
  source_ = resolve_ipxe_source(context_.ipxe_src, context_.cache_dir);
  compiler_ = compiler_version();
}

std::string RomBuilder::cache_key(const BuildSpec& spec, const NicTarget& target) const {
  return sha256_hex("romharness-rom v1\nipxe=" + source_.key + "\ncompiler=" + compiler_ +
                    "\nconfig=" + config_hash(spec) + "\ntarget=" + target.target + "\n")
      .substr(0, 32);
}

std::vector<BuildRequest> RomBuilder::requests(const std::vector<std::string>& sets,
                                               const std::vector<std::string>& nics,
                                               const std::vector<std::string>& platforms,
                                               bool feature_cost) const {
  const auto wanted = [](const std::vector<std::string>& filter, const std::string& item) {
    return filter.empty() || std::find(filter.begin(), filter.end(), item) != filter.end();
  };
  std::vector<BuildRequest> out;
  for (const auto& set : catalog_.feature_sets()) {
    if (!wanted(sets, set.name)) continue;
    for (const auto& platform : set.platforms) {
      if (!wanted(platforms, platform)) continue;
      std::vector<NicTarget> targets;
      for (const auto& nic : set.nics) {
        if (wanted(nics, nic)) targets.push_back(set.target(nic, platform));
      }
      if (targets.empty()) continue;
      out.push_back({build_spec(set, platform), targets});
      if (!feature_cost) continue;
      for (const auto& feature : set.features) {
        out.push_back({build_spec(set, platform, feature), targets});
      }
    }
  }
  for (const auto& name : sets) catalog_.feature_set(name);  // unknown names are errors
  return out;
}

BuildResult RomBuilder::build(const std::vector<BuildRequest>& requests) {
  BuildResult result;
  std::vector<BuildJob> jobs;
  for (const auto& request : requests) {
    BuildJob job{.request = &request};
    for (const auto& target : request.targets) {
      const std::string key = cache_key(request.spec, target);
      const fs::path dir = context_.cache_dir / "roms" / key;
      if (fs::exists(dir / "provenance.json")) {
        result.roms.push_back(cached_rom(request, target, dir, true));
      } else {
        job.missing.push_back(target);
        job.keys.push_back(key);
      }
    }
    if (!job.missing.empty()) jobs.push_back(job);
  }
  if (jobs.empty()) return result;
  // -j N: up to N makes at once, each allowed N jobs. A make that rebuilds
  // a few objects of its tree leaves its share idle, and cold trees
  // time-share the cores (the kernel balances them, as one make -j would).
  const int workers = std::min<int>(context_.jobs, static_cast<int>(jobs.size()));
  for (auto& job : jobs) job.make_jobs = context_.jobs;
  JobRunner runner(source_, compiler_, context_.cache_dir, context_.progress);
  std::mutex lock;
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < workers; ++i) {
    threads.emplace_back([&] {
      for (std::size_t j = next++; j < jobs.size(); j = next++) runner.run(jobs[j], result, lock);
    });
  }
  for (auto& t : threads) t.join();
  sort_like_requests(requests, result.roms);
  return result;
}

BuiltRom RomBuilder::find_or_build(const VariantRef& ref) {
  const FeatureSet& set = catalog_.feature_set(ref.variant);
  const BuildRequest request{build_spec(set, ref.firmware), {set.target(ref.nic, ref.firmware)}};
  const BuildResult result = build({request});
  if (!result.ok()) throw SetupError(result.failures.front().message);
  return result.roms.front();
}

BuiltRom find_or_build(const VariantRef& ref, const BuildContext& context) {
  return RomBuilder(context).find_or_build(ref);
}

std::vector<FeatureCost> feature_costs(const std::vector<BuiltRom>& roms) {
  std::vector<FeatureCost> costs;
  for (const auto& without : roms) {
    if (without.without.empty()) continue;
    for (const auto& full : roms) {
      if (full.without.empty() && full.variant == without.variant && full.nic == without.nic &&
          full.platform == without.platform) {
        costs.push_back({.variant = full.variant,
                         .feature = without.without,
                         .nic = full.nic,
                         .platform = full.platform,
                         .with_bytes = full.size,
                         .without_bytes = without.size});
      }
    }
  }
  return costs;
}

}  // namespace rh
