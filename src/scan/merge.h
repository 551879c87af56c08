// Merging per-layer results into the image's final view, and the post-analysis steps that need
// the whole image: whiteouts and opaque directories, "a later copy of a file replaces the
// earlier one", the layer that added each package, the OS, OS package purls, owned files,
// licenses, and which OS package owns each language package.
#pragma once

#include <string>
#include <vector>

#include "model/scan_result.h"
#include "scan/layer_result.h"

namespace hivesec::scan {

// `layers` bottom-up; `layer_ids[i]` is what a package added by layer i records as its `layer`
// (the diffID; "" for a plain filesystem). Fills os, packages and notes of `out`.
// Consumes `layers`.
void merge_layers(std::vector<LayerResult> layers, const std::vector<std::string>& layer_ids,
                  model::ScanResult& out);

// purl of an OS package once the OS is known (deb/rpm/apk); "" for other types.
std::string os_package_purl(const model::Package& pkg, const model::OsInfo& os);

}  // namespace hivesec::scan
