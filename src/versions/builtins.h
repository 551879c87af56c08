// Factories of the built-in version schemes, one per file.
#pragma once

#include <memory>

#include "versions/scheme.h"

namespace hivesec::versions {}  // namespace hivesec::versions
