#include <gtest/gtest.h>

#include "tollgate/catalog.h"

namespace tollgate {
namespace {}  // namespace
}  // namespace tollgate
