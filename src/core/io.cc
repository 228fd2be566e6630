#include "core/io.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tollgate {

Result<std::string> ReadFileToString(const std::string& path, size_t max_bytes) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return NotFound("cannot open '" + path + "': no such file");
  if (std::filesystem::is_directory(path, ec))
    return InvalidArgument("'" + path + "' is a directory, expected a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot open '" + path + "': " + std::strerror(errno));
  auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > max_bytes)
    return ResourceExhausted("'" + path + "' is " + std::to_string(size) + " bytes; the limit is " +
                             std::to_string(max_bytes));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return IoError("error reading '" + path + "'");
  return ss.str();
}

std::string BundledDataRoot() {
  if (const char* env = std::getenv("TOLLGATE_DATA_DIR"); env && *env) return env;
#ifdef TOLLGATE_SOURCE_DIR
  if (std::filesystem::exists(std::string(TOLLGATE_SOURCE_DIR) + "/data"))
    return TOLLGATE_SOURCE_DIR;
#endif
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) return (exe.parent_path().parent_path() / "share" / "tollgate").string();
  return ".";
}

}  // namespace tollgate
