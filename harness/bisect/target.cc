#include "harness/bisect/target.h"

#include <algorithm>

#include "harness/core/error.h"
#include "harness/scenario/load.h"

namespace rh {
namespace {

std::string row_nic(const Scenario& s) { return s.rom.variant.empty() ? s.nic : s.rom.variant_nic; }

// The set never excludes a row: a given SET is built in place of the row's own.
bool selects(const VariantRef& want, const Scenario& s) {
  const bool nic_ok = want.nic.empty() || row_nic(s) == want.nic;
  const bool platform_ok = want.firmware.empty() || to_string(s.firmware) == want.firmware;
  return nic_ok && platform_ok;
}

std::string names(const std::vector<Scenario>& rows) {
  std::string out;
  for (const auto& s : rows) out += (out.empty() ? "" : ", ") + s.name;
  return out;
}

const Scenario& pick_row(const std::filesystem::path& file, const VariantRef& want,
                         const std::string& variant, std::vector<Scenario>& rows) {
  std::vector<Scenario> all = load_scenario_file(file);
  for (const auto& s : all) {
    if (selects(want, s)) rows.push_back(s);
  }
  if (rows.size() == 1) return rows.front();
  if (rows.empty()) {
    throw InputError("variant '" + variant + "' selects none of the scenarios in '" +
                     file.string() + "' (" + names(all) + ")");
  }
  throw InputError("'" + file.string() + "' has " + std::to_string(rows.size()) +
                   " scenarios here (" + names(rows) +
                   "); pick one with a variant SET/NIC/PLATFORM");
}

void check_in_catalog(const VariantRef& ref, const std::filesystem::path& variants) {
  // The catalog is named: feature_set() returns a reference into it.
  const VariantCatalog catalog = VariantCatalog::load(variants);
  const FeatureSet& set = catalog.feature_set(ref.variant);
  if (!set.has_target(ref.nic, ref.firmware)) {
    throw InputError("variant '" + ref.variant + "' in '" + variants.string() + "' has no NIC '" +
                     ref.nic + "' on platform '" + ref.firmware + "'");
  }
}

}  // namespace

std::string BisectTarget::label() const { return ref.variant + "/" + ref.nic + "/" + ref.firmware; }

VariantRef parse_variant(const std::string& text) {
  VariantRef ref;
  std::string* parts[] = {&ref.variant, &ref.nic, &ref.firmware};
  std::size_t start = 0;
  for (std::size_t i = 0; start <= text.size() && !text.empty(); ++i) {
    const std::size_t slash = std::min(text.find('/', start), text.size());
    if (i == 3 || slash == start) {
      throw InputError("variant must be SET[/NIC[/PLATFORM]], e.g. vmware-min/vmxnet3/bios, got '" +
                       text + "'");
    }
    *parts[i] = text.substr(start, slash - start);
    start = slash + 1;
  }
  return ref;
}

BisectTarget pick_target(const std::filesystem::path& scenario_file, const std::string& variant,
                         bool size_only, const std::filesystem::path& variants) {
  const VariantRef want = parse_variant(variant);
  BisectTarget target{.ref = want};
  if (scenario_file.empty()) {
    if (!size_only) throw InputError("bisect needs a scenario file to boot (or a size budget)");
    if (want.firmware.empty()) {
      throw InputError("without a scenario file, the variant must be SET/NIC/PLATFORM, got '" +
                       variant + "'");
    }
  } else {
    std::vector<Scenario> rows;
    const Scenario& row = pick_row(scenario_file, want, variant, rows);
    if (target.ref.variant.empty()) target.ref.variant = row.rom.variant;
    if (target.ref.nic.empty()) target.ref.nic = row_nic(row);
    if (target.ref.firmware.empty()) target.ref.firmware = std::string(to_string(row.firmware));
    if (target.ref.variant.empty()) {
      throw InputError("scenario '" + row.name + "' (" + scenario_file.string() +
                       ") boots the ROM file '" + row.rom.file.string() +
                       "', not a variant: give the variant to build, SET[/NIC[/PLATFORM]]");
    }
    if (!size_only) target.scenario = row;
  }
  check_in_catalog(target.ref, variants);
  return target;
}

}  // namespace rh
