// A compact binary encoding of LayerResult for the layer cache. Warm scans are dominated by
// loading cached layers, so this avoids building a JSON document tree (owned-file lists run to
// tens of thousands of strings per layer).
//
// Format: "HVLC" magic, a format version, then every field in declaration order; strings and
// counts are LEB128 varints. decode() treats the bytes as untrusted (a cache directory can be
// tampered with): every length is bounds-checked, and any inconsistency is kCorrupt.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "scan/layer_result.h"

namespace hivesec::scan {

std::string encode_layer_result(const LayerResult& r);
Result<LayerResult> decode_layer_result(std::string_view bytes);

}  // namespace hivesec::scan
