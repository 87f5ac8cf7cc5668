// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// IAM wildcard matching: the one matcher of the Action, Resource and
// String*Like / Arn* condition elements of IAM policies. The catalog's
// action expansion, validation, review, the evaluator and the symbolic
// engine's cross-checks all call these functions.
//
//   `*`  matches any run of characters, including the empty run
//   `?`  matches exactly one character
//
// Every other byte matches itself. There is no escape character and no
// character class: IAM has neither. A character that came from ${*} or ${?},
// or from the value of a substituted policy variable, is an ordinary
// character even when it is '*' or '?' (GlobPattern marks it literal).
// Matching works on bytes; a multi-byte UTF-8 character therefore needs as
// many `?` as it has bytes.
//
// Matching never recurses and runs in O(len(pattern) * len(text) / 64 +
// len(pattern) + len(text)) time in the worst case, so patterns such as
// "*a*a*a*...b" or ten thousand `?` against long texts stay fast.

#ifndef LEASTPRIV_LIB_GLOB_GLOB_H_
#define LEASTPRIV_LIB_GLOB_GLOB_H_

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leastpriv {

// Whether letters must match exactly or up to ASCII case (action names and
// ARN service/partition/region/account segments are compared ignoring case;
// resource paths and most condition values are not). Non-ASCII bytes always
// compare exactly.
enum class GlobCase { kSensitive, kInsensitive };

// A pattern after policy-variable substitution. `*` matches any run of
// characters and `?` exactly one, except where `literal[i]` is true: then
// text[i] is an ordinary character even if it is '*' or '?' (it came from
// ${*} or ${?}, or from the value of a substituted variable).
// INVARIANT: literal.size() == text.size().
struct GlobPattern {
  std::string text;
  std::vector<bool> literal;

  // Every '*' and '?' in `text` is a wildcard.
  static GlobPattern Wildcards(std::string_view text);
  // Every character of `text` is literal.
  static GlobPattern Literal(std::string_view text);
  // Appends characters with the given literal flag.
  void Append(std::string_view s, bool is_literal);
  // True when any character is a wildcard.
  bool HasWildcards() const;
};

// Returns true when `text` as a whole matches `pattern`.
//   GlobMatch("dynamodb:Get*", "dynamodb:GetItem")                  -> true
//   GlobMatch("table/?", "table/ab")                                -> false
//   GlobMatch("DYNAMODB:get*", "dynamodb:GetItem", kInsensitive)    -> true
bool GlobMatch(std::string_view pattern, std::string_view text,
               GlobCase glob_case = GlobCase::kSensitive);
// The same for a substituted pattern: its literal characters match only
// themselves.
bool GlobMatch(const GlobPattern& pattern, std::string_view text,
               GlobCase glob_case = GlobCase::kSensitive);

// Returns true when `pattern` contains `*` or `?`, i.e. when it can match
// something other than itself.
bool HasWildcard(std::string_view pattern);

// IAM action matching: "service:pattern" with * and ?, ignoring case.
// "*" matches every action.
bool ActionMatches(std::string_view pattern, std::string_view action);

// IAM Resource-element matching of an ARN pattern against a concrete ARN.
// Both are split at their first five colons into partition, service,
// region, account (components 1 to 4 after "arn") and the resource part,
// which may itself contain ':' and '/'.
//   - "*" alone matches every string.
//   - A pattern of six components matches an ARN of six components when each
//     component matches the ARN's: the first five ignoring case, with
//     wildcards that stay inside the component; the resource part
//     case-sensitively, where `*` also crosses ':' and '/'.
//   - A pattern of fewer than six components matches only when its last
//     component ends in a wildcard `*`; that last component is then matched
//     ignoring case against the rest of the ARN, colons included.
//   ArnMatches("arn:aws:dynamodb:*:*:table/Ord*",
//              "arn:aws:dynamodb:us-east-1:1:table/Orders")         -> true
//   ArnMatches("arn:aws:dynamodb:*", "arn:aws:dynamodb:r:1:table/T") -> true
//   ArnMatches("arn:aws:dynamodb:*:table/T",
//              "arn:aws:dynamodb:r:1:table/T")                      -> false
bool ArnMatches(const GlobPattern& pattern, std::string_view arn);
bool ArnMatches(std::string_view pattern, std::string_view arn);

// True for a pattern that ArnMatches can match with no ARN at all: one of
// fewer than six components whose last component does not end in a wildcard
// `*` (the empty pattern included). `literal` is empty or has one flag per
// character, as in GlobPattern.
bool ArnPatternMatchesNothing(std::string_view pattern,
                              const std::vector<bool>& literal = {});

// A string split at its first five colons: [begin, end) of each part.
struct ColonSplit {
  std::array<std::pair<std::size_t, std::size_t>, 6> at;
  std::size_t count = 0;
};
ColonSplit SplitAtColons(std::string_view s);
// ArnMatches with both sides already split, for matching many pairs.
bool ArnMatches(const GlobPattern& pattern, const ColonSplit& pattern_parts,
                std::string_view arn, const ColonSplit& arn_parts);

}  // namespace leastpriv

#endif  // LEASTPRIV_LIB_GLOB_GLOB_H_
