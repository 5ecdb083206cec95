// The history database's schema, one entry per version: schema_sql()[0]
// creates version 1; a later version appends its ALTER/CREATE statements.
#pragma once

#include <string>
#include <vector>

namespace rh {

const std::vector<std::string>& history_schema_steps();

}  // namespace rh
