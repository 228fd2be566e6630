// File helpers shared by importers. Internal to Tollgate.
#ifndef TOLLGATE_CORE_IO_H_
#define TOLLGATE_CORE_IO_H_

#include <string>

#include "tollgate/status.h"

namespace tollgate {

// Reads a whole file. Fails with kNotFound / kIoError naming the path; refuses files larger
// than max_bytes (kResourceExhausted).
Result<std::string> ReadFileToString(const std::string& path, size_t max_bytes = size_t{1} << 30);

// Directory holding bundled data (catalog, policies, sample lists). Resolution order:
// $TOLLGATE_DATA_DIR, then the source tree baked in at build time (TOLLGATE_SOURCE_DIR),
// then <dir of executable>/../share/tollgate.
std::string BundledDataRoot();

}  // namespace tollgate

#endif  // TOLLGATE_CORE_IO_H_
