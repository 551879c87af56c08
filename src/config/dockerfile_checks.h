// Dockerfile checks of `hivesec config scan`: one function per check id over a parsed
// Dockerfile (see checks.h check_dockerfile).
#pragma once

#include <map>
#include <string_view>
#include <vector>

#include "config/catalogue.h"
#include "dockerfile/parser.h"
#include "model/finding.h"

namespace hivesec::config {

using DockerfileCheck = void (*)(std::string_view id, const Catalogue& catalogue,
                                 const dockerfile::Dockerfile& df, std::vector<model::Finding>& out);

const std::map<std::string_view, DockerfileCheck>& dockerfile_checks();

}  // namespace hivesec::config
