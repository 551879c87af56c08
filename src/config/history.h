// An image's history (`created_by` of each build step) read back as Dockerfile instructions,
// for the image checks that look at how the image was built: the classic builder's
// "/bin/sh -c #(nop)  ADD file:... in /" and "/bin/sh -c apt-get ...", BuildKit's
// "RUN /bin/sh -c ... # buildkit", "ARG X=1", and the "|N K=V ..." build-argument prefix of RUN.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "image/image.h"

namespace hivesec::config {

struct HistoryStep {
  size_t index = 0;     // into ImageMeta::history
  std::string layer;    // diff_id of the layer the step made, "" for metadata-only steps
  std::string keyword;  // "RUN", "ADD", "COPY", "ARG", "ENV", ...; "" when not recognised
  std::string args;     // after the keyword (RUN: the shell command)
  std::vector<std::pair<std::string, std::string>> build_args;  // from "|N K=V" (RUN)
  std::string created_by;  // as recorded
};

std::vector<HistoryStep> history_steps(const image::ImageMeta& meta);

}  // namespace hivesec::config
