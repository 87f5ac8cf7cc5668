// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The rules are compiled once into two RE2 sets: one over literal values
// (unanchored: which value rules occur somewhere in the literal), one over
// names (anchored at both ends: which name rules a name satisfies). A set
// tells which rules apply in one pass; only those rules then run on their
// own to find where (value rules) or to check the value's shape (name
// rules).

#include "lib/rules/secret_rules.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <utility>

#include "re2/re2.h"
#include "re2/set.h"

namespace leastpriv::rules {
namespace {

// A rule over literal values. Group 1 of `pattern` is the secret; for the
// database rule, group 2 is the password and group 3 the host.
struct ValueRule {
  FindingCode code;
  const char* pattern;
};

// Leading and trailing context is matched (RE2 has no look-around), so a key
// inside a longer word is not a key.
constexpr ValueRule kValueRules[] = {
    {FindingCode::kAwsAccessKeyId,
     R"((?:^|[^A-Za-z0-9])((?:AKIA|ASIA)[A-Z0-9]{16})(?:[^A-Za-z0-9]|$))"},
    {FindingCode::kAwsSessionToken,
     R"((?:^|[^A-Za-z0-9+/])((?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE)[A-Za-z0-9+/]{88,}={0,2})(?:[^A-Za-z0-9+/=]|$))"},
    {FindingCode::kDatabaseUrlPassword,
     R"((?i)(?:^|[^a-z0-9+.-])((?:postgres(?:ql)?|postgis|mysql|mariadb|oracle|mssql|redshift|cockroachdb|rediss?|mongodb(?:\+srv)?|amqps?)(?:\+[a-z0-9_]+)?://[^:/@\s]*:([^@/\s]+)@([^/:?#\s]*)))"},
};

// A rule over a name and the literal value bound to it.
struct NameRule {
  FindingCode code;
  const char* label;          // what the message calls the value
  const char* name_pattern;   // matched against the whole name
  const char* value_pattern;  // the whole value, for assignments and dicts
  Place place;                // where the rule applies
  bool assignments_only;
};

constexpr NameRule kNameRules[] = {
    {FindingCode::kAwsSecretAccessKey, "AWS secret access key",
     R"((?i)(?:.*secret_access_key.*|aws_secret_key|aws_secret))",
     R"([A-Za-z0-9/+]{40})", Place::kAnywhere, false},
    {FindingCode::kAwsSessionToken, "AWS session token",
     R"((?i)(?:aws_)?(?:session|security)_token)",
     R"([A-Za-z0-9/+]{100,}={0,2})", Place::kAnywhere, false},
    {FindingCode::kDjangoSecretKey, "Django secret key", R"(SECRET_KEY)",
     R"(\S{16,})", Place::kProductionSettings, true},
};

constexpr int kValueRuleCount = sizeof(kValueRules) / sizeof(kValueRules[0]);
constexpr int kNameRuleCount = sizeof(kNameRules) / sizeof(kNameRules[0]);
constexpr size_t kShortestName = 10;
// The shortest literal a value rule matches: "amqp://:p@" (an access key id
// has 20 characters, a session token more than 100).
constexpr size_t kShortestValue = 10;

[[noreturn]] void BadRule(const char* pattern, const std::string& error) {
  std::fprintf(stderr, "leastpriv: internal error: secret rule \"%s\": %s\n",
               pattern, error.c_str());
  std::abort();
}

RE2::Options RuleOptions() {
  RE2::Options options;
  // Literal values are bytes; the patterns are ASCII.
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  return options;
}

// The compiled table. The patterns are constants of this file, so a
// pattern that does not compile is a programming error (the tests compile
// every one).
class CompiledRules {
 public:
  CompiledRules()
      : value_set_(RuleOptions(), RE2::UNANCHORED),
        name_set_(RuleOptions(), RE2::ANCHOR_BOTH) {
    std::string error;
    for (const ValueRule& r : kValueRules) {
      if (value_set_.Add(r.pattern, &error) < 0) BadRule(r.pattern, error);
      values_.push_back(std::make_unique<RE2>(r.pattern, RuleOptions()));
      if (!values_.back()->ok()) BadRule(r.pattern, values_.back()->error());
    }
    for (const NameRule& r : kNameRules) {
      if (name_set_.Add(r.name_pattern, &error) < 0) {
        BadRule(r.name_pattern, error);
      }
      shapes_.push_back(std::make_unique<RE2>(r.value_pattern, RuleOptions()));
      if (!shapes_.back()->ok())
        BadRule(r.value_pattern, shapes_.back()->error());
    }
    if (!value_set_.Compile() || !name_set_.Compile()) {
      BadRule("(set)", "does not compile");
    }
  }

  const RE2::Set& value_set() const { return value_set_; }
  const RE2::Set& name_set() const { return name_set_; }
  const RE2& value(int i) const { return *values_[i]; }
  const RE2& shape(int i) const { return *shapes_[i]; }

 private:
  RE2::Set value_set_;
  RE2::Set name_set_;
  std::vector<std::unique_ptr<RE2>> values_;
  std::vector<std::unique_ptr<RE2>> shapes_;
};

const CompiledRules& Rules() {
  static const CompiledRules* const rules = new CompiledRules();
  return *rules;
}

std::string_view View(const re2::StringPiece& s) {
  return std::string_view(s.data(), s.size());
}

// ${DB_PASSWORD}, {password}, %(password)s, <password>, ****: not a password.
bool IsPlaceholder(std::string_view password) {
  if (password.find_first_of("{$<") != std::string_view::npos) return true;
  if (password.find("%(") != std::string_view::npos) return true;
  return password.find_first_not_of('*') == std::string_view::npos;
}

bool IsLocalHost(std::string_view host) {
  std::string lower;
  for (char c : host) {
    lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return lower.empty() || lower == "localhost" || lower == "127.0.0.1" ||
         lower == "[::1]";
}

// The finding of value rule `rule` for its match `groups`, or nullopt.
std::optional<SecretHit> ValueHit(int rule, const re2::StringPiece* groups) {
  const FindingCode code = kValueRules[rule].code;
  const std::string_view secret = View(groups[1]);
  if (code == FindingCode::kAwsAccessKeyId) {
    return SecretHit{code, Severity::kError,
                     "hard-coded AWS access key id " + Mask(secret)};
  }
  if (code == FindingCode::kAwsSessionToken) {
    return SecretHit{code, Severity::kError,
                     "hard-coded AWS session token " + Mask(secret)};
  }
  // kDatabaseUrlPassword
  const std::string_view password = View(groups[2]);
  if (IsPlaceholder(password)) return std::nullopt;
  const size_t at = password.data() - secret.data();
  std::string url(secret.substr(0, at));
  url += "…";
  url += secret.substr(at + password.size());
  return SecretHit{
      code,
      IsLocalHost(View(groups[3])) ? Severity::kWarning : Severity::kError,
      "hard-coded password in database URL " + url};
}

}  // namespace

std::string Mask(std::string_view secret) {
  if (secret.size() <= 8) return "…";
  return std::string(secret.substr(0, 4)) + "…" +
         std::string(secret.substr(secret.size() - 4));
}

std::vector<SecretHit> SecretsInLiteral(std::string_view literal) {
  std::vector<SecretHit> out;
  // Most literals of a project are short: they need no search.
  if (literal.size() < kShortestValue) return out;
  const CompiledRules& rules = Rules();
  std::vector<int> matched;
  RE2::Set::ErrorInfo error;
  if (!rules.value_set().Match(literal, &matched, &error)) {
    if (error.kind != RE2::Set::kOutOfMemory) return out;
    // The set's automaton ran out of memory on this literal: every rule
    // searches on its own (a single RE2 falls back to a slower matcher).
    for (int rule = 0; rule < kValueRuleCount; ++rule) matched.push_back(rule);
  }
  for (int rule = 0; rule < kValueRuleCount; ++rule) {
    bool in_set = false;
    for (int m : matched) in_set = in_set || m == rule;
    if (!in_set) continue;
    const RE2& re = rules.value(rule);
    re2::StringPiece groups[4];
    const int ngroups = re.NumberOfCapturingGroups() + 1;
    size_t pos = 0;
    while (pos < literal.size() && re.Match(literal, pos, literal.size(),
                                            RE2::UNANCHORED, groups, ngroups)) {
      if (std::optional<SecretHit> hit = ValueHit(rule, groups)) {
        out.push_back(std::move(*hit));
      }
      // Search on after the secret: its trailing context may lead the next.
      pos = static_cast<size_t>(groups[1].data() + groups[1].size() -
                                literal.data());
    }
  }
  return out;
}

bool MayNameSecret(std::string_view name) {
  // The shortest names the rules accept, "aws_secret" and "SECRET_KEY",
  // have ten characters.
  if (name.size() < kShortestName) return false;
  RE2::Set::ErrorInfo error;
  return Rules().name_set().Match(name, nullptr, &error) ||
         error.kind == RE2::Set::kOutOfMemory;
}

std::optional<SecretHit> SecretInBinding(std::string_view name,
                                         std::string_view value,
                                         Binding binding, Place place) {
  if (value.empty() || name.size() < kShortestName) return std::nullopt;
  const CompiledRules& rules = Rules();
  std::vector<int> matched;
  RE2::Set::ErrorInfo error;
  if (!rules.name_set().Match(name, &matched, &error)) {
    if (error.kind != RE2::Set::kOutOfMemory) return std::nullopt;
    for (int rule = 0; rule < kNameRuleCount; ++rule) matched.push_back(rule);
  }
  for (int rule = 0; rule < kNameRuleCount; ++rule) {
    bool in_set = false;
    for (int m : matched) in_set = in_set || m == rule;
    if (!in_set) continue;
    const NameRule& r = kNameRules[rule];
    if (r.place == Place::kProductionSettings &&
        place != Place::kProductionSettings) {
      continue;
    }
    if (r.assignments_only && binding != Binding::kAssignment) continue;
    if (binding != Binding::kKeyword &&
        !RE2::FullMatch(value, rules.shape(rule))) {
      continue;
    }
    std::string message = "hard-coded " + std::string(r.label);
    if (binding == Binding::kKeyword) {
      message += " passed as " + std::string(name) + "= (" + Mask(value) + ")";
    } else {
      message += " in " + std::string(name) + " (" + Mask(value) + ")";
    }
    return SecretHit{r.code, Severity::kError, std::move(message)};
  }
  return std::nullopt;
}

}  // namespace leastpriv::rules
