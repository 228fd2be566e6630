#include "tollgate/classify.h"

#include <gtest/gtest.h>

namespace tollgate {
namespace {}  // namespace
}  // namespace tollgate
