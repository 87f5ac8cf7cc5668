// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// IAM glob matching: the wildcard language of the Action, Resource and
// String*Like condition elements of IAM policies.
//
//   `*`  matches any run of characters, including the empty run
//   `?`  matches exactly one character
//
// Every other byte matches itself. There is no escape character and no
// character class: IAM has neither. Matching works on bytes; a multi-byte
// UTF-8 character therefore needs as many `?` as it has bytes.
//
// Matching never recurses and runs in O(len(pattern) * len(text) / 64 +
// len(pattern) + len(text)) time in the worst case, so patterns such as
// "*a*a*a*...b" or ten thousand `?` against long texts stay fast.

#ifndef LEASTPRIV_LIB_GLOB_GLOB_H_
#define LEASTPRIV_LIB_GLOB_GLOB_H_

#include <string_view>

namespace leastpriv {

// Whether letters must match exactly or up to ASCII case (action names and
// ARN service/partition/region/account segments are compared ignoring case;
// resource paths and most condition values are not). Non-ASCII bytes always
// compare exactly.
enum class GlobCase { kSensitive, kInsensitive };

// Returns true when `text` as a whole matches `pattern`.
//   GlobMatch("dynamodb:Get*", "dynamodb:GetItem")                  -> true
//   GlobMatch("table/?", "table/ab")                                -> false
//   GlobMatch("DYNAMODB:get*", "dynamodb:GetItem", kInsensitive)    -> true
bool GlobMatch(std::string_view pattern, std::string_view text,
               GlobCase glob_case = GlobCase::kSensitive);

// Returns true when `pattern` contains `*` or `?`, i.e. when it can match
// something other than itself.
bool HasWildcard(std::string_view pattern);

}  // namespace leastpriv

#endif  // LEASTPRIV_LIB_GLOB_GLOB_H_
