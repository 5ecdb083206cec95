#include "harness/bootserver/serve_command.h"

#include <pthread.h>
#include <signal.h>

#include <charconv>
#include <cstring>
#include <mutex>
#include <ostream>

#include "harness/core/error.h"

namespace rh {
namespace {

std::pair<std::string, std::string> split_pair(const std::string& flag, const std::string& text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw InputError(flag + " expects NAME=VALUE, got '" + text + "'");
  }
  return {text.substr(0, eq), text.substr(eq + 1)};
}

std::uint16_t parse_port(const std::string& text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > 65535) {
    throw InputError("--port expects a number from 0 to 65535, got '" + text + "'");
  }
  return static_cast<std::uint16_t>(value);
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// Blocks SIGINT/SIGTERM in this thread (the server's threads inherit the
// mask) and restores the old mask on scope exit.
class BlockStopSignals {
 public:
  BlockStopSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~BlockStopSignals() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  int wait() const {
    int sig = 0;
    sigwait(&set_, &sig);
    return sig;
  }

 private:
  sigset_t set_{};
  sigset_t old_{};
};

}  // namespace

const char* const kServeUsage =
    "usage: romharness serve DIR [--port N] [--var NAME=VALUE]... [--file URL=PATH]...\n"
    "                            [--template URL]... [--fault-file F] [--log FILE]\n"
    "Serves DIR over HTTP on 127.0.0.1 until Ctrl-C. Files ending in .ipxe (and each\n"
    "--template URL) have {{NAME}} filled from --var; {port} in a value is the bound port.\n"
    "example: romharness serve http-root --var server=10.0.2.2:{port} \\\n"
    "           --file /vmlinuz=cache/vmlinuz --fault-file faults.yaml\n";

ServeOptions parse_serve_args(const std::vector<std::string>& args) {
  ServeOptions opts;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const auto value = [&]() -> const std::string& {
      if (i + 1 >= args.size()) throw InputError(arg + " needs a value");
      return args[++i];
    };
    if (arg == "-h" || arg == "--help") {
      opts.help = true;
    } else if (arg == "--port") {
      opts.config.port = parse_port(value());
    } else if (arg == "--var") {
      opts.config.variables.insert(split_pair(arg, value()));
    } else if (arg == "--file") {
      opts.config.files.insert(split_pair(arg, value()));
    } else if (arg == "--template") {
      opts.config.templates.insert(value());
    } else if (arg == "--fault-file") {
      opts.fault_file = value();
    } else if (arg == "--log") {
      opts.config.log_file = value();
    } else if (arg.starts_with("-")) {
      throw InputError("unknown option '" + arg + "' for serve");
    } else if (opts.config.root.empty()) {
      opts.config.root = arg;
    } else {
      throw InputError("serve takes one directory, got a second: '" + arg + "'");
    }
  }
  if (opts.config.root.empty() && !opts.help) throw InputError("serve needs a directory to serve");
  return opts;
}

int serve_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  try {
    ServeOptions opts = parse_serve_args(args);
    if (opts.help) {
      out << kServeUsage;
      return 0;
    }
    if (!opts.fault_file.empty()) opts.config.faults = load_http_fault_file(opts.fault_file);
    std::mutex out_mutex;
    opts.config.on_request = [&](const RequestRecord& r) {
      std::lock_guard lock(out_mutex);
      out << r.log_line() << std::endl;
    };
    const BlockStopSignals signals;
    BootServer server(opts.config);
    for (auto& [name, value] : opts.config.variables) {
      std::string filled = value;
      replace_all(filled, "{port}", std::to_string(server.port()));
      server.set_variable(name, filled);
    }
    {
      std::lock_guard lock(out_mutex);
      out << "serving " << opts.config.root.string() << " at " << server.url() << std::endl;
    }
    const int sig = signals.wait();
    server.stop();
    std::lock_guard lock(out_mutex);
    out << "stopped by signal " << sig << " (" << strsignal(sig) << ")" << std::endl;
    return 0;
  } catch (const InputError& e) {
    err << "romharness serve: " << e.what() << "\n";
    return 2;
  } catch (const SetupError& e) {
    err << "romharness serve: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace rh
