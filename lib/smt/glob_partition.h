// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The string abstraction of the request model: a set of glob patterns over
// one string dimension (action names, resource ARNs, the values of one
// condition key) partitions all strings into classes of strings that agree on
// membership of every pattern. Each class gets a concrete witness string.
//
// Patterns are compiled to small token NFAs; the classes are the distinct
// acceptance signatures reachable in the product automaton, found by a
// breadth-first walk over an alphabet made of the patterns' own characters
// plus one character that occurs in none of them (every other character
// behaves like it), so the partition is exact.

#ifndef LEASTPRIV_LIB_SMT_GLOB_PARTITION_H_
#define LEASTPRIV_LIB_SMT_GLOB_PARTITION_H_

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"

namespace leastpriv::smt {

// Which characters a wildcard token may consume.
enum class CharRange {
  kAny,           // every character
  kNoColon,       // not ':' (an ARN component)
  kNoColonSlash,  // not ':' or '/' (a name inside an ARN)
  kNothing,       // no character: a pattern that matches no string
  // The characters of the names AWS accepts, for resource shapes:
  kNameChar,   // [a-zA-Z0-9_.-] (DynamoDB table and index names)
  kLower,      // [a-z]
  kLowerDash,  // [a-z-]
  kDigit,      // [0-9]
  kHexLower,   // [0-9a-f]
  // The characters of the principal values AWS issues, for context keys:
  kIamNameChar,  // [a-zA-Z0-9_+=,.@-] (IAM user and role session names)
  kUpperDigit,   // [A-Z0-9] (unique ids)
};

struct GlobToken {
  enum class Kind { kChar, kOne, kStar };
  Kind kind = Kind::kChar;
  char ch = 0;                        // kChar
  bool ignore_case = false;           // kChar
  CharRange range = CharRange::kAny;  // kOne, kStar
};

// The automaton form of an IAM pattern (lib/glob's GlobPattern, which is
// the one matcher of policies) or of a value shape: a sequence of tokens
// over character ranges, from which partitions are built. Requests are
// decided by lib/glob; the partition's membership bits are cross-checked
// against it, and automaton_agreement_test checks that both accept the
// same strings.
class TokenPattern {
 public:
  TokenPattern() = default;

  // `*` and `?` are wildcards over every character (StringLike, Action).
  // `literal`, when non-empty (one flag per character), marks characters
  // that stay ordinary even if they are '*' or '?' (substituted variables).
  static TokenPattern Wildcard(std::string_view text, bool ignore_case,
                               const std::vector<bool>& literal = {});
  // Every character literal (StringEquals, StringEqualsIgnoreCase).
  static TokenPattern Literal(std::string_view text, bool ignore_case);
  // An IAM ARN pattern: the first five ':'-separated components compare
  // case-insensitively and their wildcards stay within the component; the
  // resource part compares case-sensitively. "*" alone matches everything.
  // A pattern of fewer than six components must end in '*', which then
  // also matches the remaining components (ArnMatchesNothing otherwise).
  static TokenPattern Arn(std::string_view text,
                          const std::vector<bool>& literal = {});
  // True for an ARN pattern of fewer than six components whose last
  // component does not end in '*': it matches no ARN.
  static bool ArnMatchesNothing(std::string_view text,
                                const std::vector<bool>& literal = {});

  // A pattern of the given tokens.
  static TokenPattern FromTokens(std::vector<GlobToken> tokens);

  // Builder steps for shapes such as ARN templates.
  TokenPattern& AddLiteral(std::string_view text, bool ignore_case);
  // One or more characters of `range`.
  TokenPattern& AddName(CharRange range);
  TokenPattern& AddStar(CharRange range);
  // Exactly `count` characters of `range`.
  TokenPattern& AddExactly(CharRange range, int count);

  // Membership by the automaton itself (partition construction and
  // tests); requests are decided by lib/glob.
  bool Matches(std::string_view s) const;
  const std::vector<GlobToken>& tokens() const { return tokens_; }
  // Stable text form, for hashing and messages.
  std::string Key() const;

 private:
  // Matches for patterns of fewer than kWordsForSmall * 64 tokens: the
  // automaton's positions as bits.
  static constexpr std::size_t kWordsForSmall = 4;
  bool MatchesSmall(std::string_view s) const;

  std::vector<GlobToken> tokens_;
};

// Bit set over pattern indices.
using Signature = std::vector<std::uint64_t>;

inline bool SignatureHas(const Signature& s, std::size_t i) {
  return (s[i / 64] >> (i % 64)) & 1u;
}

struct StringClass {
  std::string witness;
  Signature members;  // bit i: witness (and every string of the class)
                      // matches pattern i
};

// Values BuildArns prefers as witnesses over the shortest string of a
// class (a value is used only for the class it belongs to).
struct WitnessHints {
  // Per ARN component (1: partition, 2: service, 3: region, 4: account).
  std::vector<std::string> component[5];
  // Names in the resource part (tables in use, for instance).
  std::vector<std::string> names;
};

// The partition of one string dimension.
class Partition {
 public:
  // Computes the classes of `patterns`. ResourceExhausted when the product
  // automaton exceeds `max_states` states, or when its states' entries (one
  // per pattern a state still follows) and the NFA positions of the
  // patterns' own states together exceed 16 * `max_states` (which bounds
  // memory).
  static absl::StatusOr<Partition> Build(std::vector<TokenPattern> patterns,
                                         std::size_t max_states = 200000);

  // The partition of the ARNs "arn:P:S:R:A:RESOURCE" that some pattern of
  // `shapes` (indices into `patterns`) matches, plus the strings of
  // `extra` (each in some class; "*" for wildcard-only actions, concrete
  // resources asked about). IAM compares the five ':'-separated components
  // of the prefix separately, so each is partitioned on its own (the
  // resource part once per shape), and the classes are the distinct
  // signatures of their combinations, merged as they are formed: the
  // automata stay the size of one component's patterns instead of their
  // product. Strings outside the shapes and `extra` belong to no class.
  // Names in a shape's resource part are runs of wildcards over ranges
  // without ':' and '/' (kNameChar, kDigit, ...); a class of names whose
  // shortest string is longer than kMaxNameLength has no valid name and is
  // left out. Each class's witness is the first of `hints`, then of the
  // patterns' literals filled in readably ("shop-*": "shop-audit"), that
  // belongs to it, else its shortest string.
  // Unimplemented when a pattern has a wildcard that spans ':' before the
  // resource part other than a final '*' (callers fall back to Build);
  // ResourceExhausted as for Build, or for more than `max_states` classes.
  static absl::StatusOr<Partition> BuildArns(
      std::vector<TokenPattern> patterns,
      const std::vector<std::size_t>& shapes,
      const std::vector<std::string>& extra, std::size_t max_states = 200000,
      const WitnessHints& hints = {});
  static constexpr std::size_t kMaxNameLength = 255;

  std::size_t size() const { return classes_.size(); }
  const StringClass& at(std::size_t i) const { return classes_[i]; }
  const std::vector<TokenPattern>& patterns() const { return patterns_; }
  bool InPattern(std::size_t class_index, std::size_t pattern_index) const {
    return SignatureHas(classes_[class_index].members, pattern_index);
  }
  // The class of a concrete string (every string has exactly one).
  std::size_t ClassOf(std::string_view s) const;

 private:
  static constexpr std::size_t kNoDomain = static_cast<std::size_t>(-1);
  // Build restricted to the strings `patterns[domain]` matches (every
  // string for kNoDomain): only those get classes.
  // The fresh character of the witnesses is none of `avoid` either.
  static absl::StatusOr<Partition> BuildWithin(
      std::vector<TokenPattern> patterns, std::size_t domain,
      const std::set<char>& avoid, std::size_t max_states);

  std::vector<TokenPattern> patterns_;
  std::vector<StringClass> classes_;
};

// Where a string variable V (a policy variable the scope leaves free)
// occurs inside the strings of another dimension, its host: resource ARNs
// ("arn:aws:dynamodb:*:*:table/${V}-*") or the values of another condition
// key ("team-${V}"). Each occurrence is a literal prefix, V, then anything.
struct VariableHost {
  // The host's patterns that do not mention V. With `arn`, they are ARN
  // patterns and only their resource part is read (the occurrences are in
  // the resource part: the prefixes are text after the fifth ':').
  std::vector<TokenPattern> constants;
  bool arn = false;
  // Indices of the constants that bound the host's strings (the strings
  // asked about all match one of them); empty: no bound. Values after
  // which no bounding constant can match any more take no part in the
  // host's patterns.
  std::vector<std::size_t> domain;
  // Where V occurs: the literal text before it (no prefix of another
  // occurrence's), and the literal text after it up to the first wildcard;
  // `whole` when nothing follows that text (the host's string is exactly
  // prefix+V+suffix).
  struct Occurrence {
    std::string prefix;
    std::string suffix;
    bool whole = false;
    bool operator<(const Occurrence& o) const {
      return std::tie(prefix, suffix, whole) <
             std::tie(o.prefix, o.suffix, o.whole);
    }
  };
  std::vector<Occurrence> occurrences;
  // Occurrences and constants compare ignoring case.
  bool fold = false;
};

// Values that stand for every value of V. Two values v and w are
// equivalent when every pattern of `own` (over V's whole value) agrees on
// them and, for every host, occurrence (prefix L, suffix S) and constant
// Q, Q matches L+v+S+z exactly when it matches L+w+S+z, whatever z (only
// z empty for a whole occurrence). Swapping v for w in V, and in the host
// strings that extend L+v+S for some occurrence, then keeps the outcome
// of every pattern, the occurrences included (a string that extends L+v
// but no L+v+S lies in no occurrence, with v or w), provided neither of
// v, w is a prefix of the other (ignoring case when a host folds). So
// each class gets up to three members such that any other member is not
// comparable with one of them no longer than itself: its shortest member,
// and one or two more. Unimplemented when a class has none such (a chain of
// prefixes); ResourceExhausted beyond `max_classes` classes or `max_states`
// states of the product automaton.
absl::StatusOr<std::vector<std::string>> VariableValues(
    const std::vector<VariableHost>& hosts,
    const std::vector<TokenPattern>& own, std::size_t max_classes,
    std::size_t max_states);

}  // namespace leastpriv::smt

#endif  // LEASTPRIV_LIB_SMT_GLOB_PARTITION_H_
