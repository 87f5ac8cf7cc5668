// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/policy/policy_reader.h"

namespace leastpriv::policy_internal {

absl::StatusOr<std::string> ReadFileBounded(const std::string& path,
                                            const std::string& display_name,
                                            std::size_t max_bytes) {
  auto fail = [&](int err) -> absl::Status {
    absl::Status status;
    switch (err) {
      case ENOENT:
        status = absl::NotFoundError(absl::StrCat(display_name, ": no such file"));
        break;
      case EACCES:
        status = absl::PermissionDeniedError(
            absl::StrCat(display_name, ": permission denied"));
        break;
      case EISDIR:
        status = absl::InvalidArgumentError(
            absl::StrCat(display_name, ": is a directory"));
        break;
      default:
        status = absl::InvalidArgumentError(absl::StrCat(
            display_name, ": cannot read file (errno ", err, ")"));
    }
    return WithFindingCode(std::move(status), FindingCode::kFileUnreadable);
  };
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return fail(errno);
  if (S_ISDIR(st.st_mode)) return fail(EISDIR);
  if (S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > max_bytes) {
    return WithFindingCode(
        absl::InvalidArgumentError(absl::StrCat(
            display_name, ":1:1: input is ", st.st_size,
            " bytes, over the limit of ", max_bytes, " bytes (max_bytes)")),
        FindingCode::kLimitExceeded);
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return fail(errno);
  std::string data;
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    data.append(buf, n);
    if (data.size() > max_bytes) {
      std::fclose(f);
      return WithFindingCode(
          absl::InvalidArgumentError(
              absl::StrCat(display_name, ":1:1: input is over the limit of ",
                           max_bytes, " bytes (max_bytes)")),
          FindingCode::kLimitExceeded);
    }
  }
  const bool error = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (error) return fail(err);
  return data;
}

}  // namespace leastpriv::policy_internal
