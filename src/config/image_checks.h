// Image checks of the "config" scanner: one function per check id, run on the merged scan
// result after the layer pass (see checks.h run_image_checks). A function may also rewrite the
// per-file findings its layer check produced (aggregation).
#pragma once

#include <map>
#include <string_view>
#include <vector>

#include "config/catalogue.h"
#include "model/scan_result.h"

namespace hivesec::config {

using ImageCheck = void (*)(std::string_view id, const Catalogue& catalogue,
                            model::ScanResult& result, std::vector<model::Finding>& out);

const std::map<std::string_view, ImageCheck>& image_checks();

}  // namespace hivesec::config
