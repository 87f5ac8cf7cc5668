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
    const SourcePos pos{display_name, 0, 0};
    switch (err) {
      case ENOENT:
        return UnusableInput(absl::StatusCode::kNotFound,
                             FindingCode::kFileUnreadable, pos, "no such file");
      case EACCES:
        return UnusableInput(absl::StatusCode::kPermissionDenied,
                             FindingCode::kFileUnreadable, pos,
                             "permission denied");
      case EISDIR:
        return UnusableInput(absl::StatusCode::kInvalidArgument,
                             FindingCode::kFileUnreadable, pos,
                             "is a directory");
      default:
        return UnusableInput(
            absl::StatusCode::kInvalidArgument, FindingCode::kFileUnreadable,
            pos, absl::StrCat("cannot read file (errno ", err, ")"));
    }
  };
  const SourcePos start{display_name, 1, 1};
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return fail(errno);
  if (S_ISDIR(st.st_mode)) return fail(EISDIR);
  if (S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > max_bytes) {
    return UnusableInput(
        absl::StatusCode::kInvalidArgument, FindingCode::kLimitExceeded, start,
        absl::StrCat("input is ", st.st_size, " bytes, over the limit of ",
                     max_bytes, " bytes (max_bytes)"));
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
      return UnusableInput(absl::StatusCode::kInvalidArgument,
                           FindingCode::kLimitExceeded, start,
                           absl::StrCat("input is over the limit of ",
                                        max_bytes, " bytes (max_bytes)"));
    }
  }
  const bool error = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (error) return fail(err);
  return data;
}

}  // namespace leastpriv::policy_internal
