#include "harness/report/history_schema.h"

namespace rh {

const std::vector<std::string>& history_schema_steps() {
  static const std::vector<std::string> steps = {
      R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL UNIQUE,
  started_at TEXT NOT NULL DEFAULT '',
  finished_at TEXT NOT NULL DEFAULT '',
  host TEXT NOT NULL DEFAULT '',
  command_line TEXT NOT NULL DEFAULT '[]',
  interrupted INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL CHECK (state IN ('running', 'finished'))
);
CREATE TABLE verdicts (
  name TEXT PRIMARY KEY,
  is_failure INTEGER NOT NULL
);
CREATE TABLE scenarios (
  id INTEGER PRIMARY KEY,
  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  file TEXT NOT NULL DEFAULT '',
  verdict TEXT NOT NULL REFERENCES verdicts(name),
  reason TEXT NOT NULL DEFAULT '',
  stage_reached TEXT NOT NULL DEFAULT '',
  failure_category TEXT NOT NULL DEFAULT '',
  nic TEXT NOT NULL DEFAULT '',
  firmware TEXT NOT NULL DEFAULT '',
  accel TEXT NOT NULL DEFAULT '',
  backend TEXT NOT NULL DEFAULT '',
  duration_ms REAL NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 1,
  result_json TEXT NOT NULL,
  UNIQUE (run, name)
);
CREATE TABLE phase_timings (
  scenario INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,
  phase TEXT NOT NULL,
  median_ms REAL NOT NULL,
  p95_ms REAL NOT NULL,
  samples INTEGER NOT NULL,
  PRIMARY KEY (scenario, phase)
);
CREATE TABLE roms (
  scenario INTEGER PRIMARY KEY REFERENCES scenarios(id) ON DELETE CASCADE,
  path TEXT NOT NULL DEFAULT '',
  variant TEXT NOT NULL DEFAULT '',
  size_bytes INTEGER,
  sha256 TEXT NOT NULL DEFAULT '',
  budget_bytes INTEGER
);
CREATE TABLE rom_provenance (
  scenario INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (scenario, key)
);
CREATE INDEX scenarios_by_name ON scenarios(name);
CREATE INDEX runs_by_time ON runs(started_at);
)sql",
  };
  return steps;
}

}  // namespace rh
