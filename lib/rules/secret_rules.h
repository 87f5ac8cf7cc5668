// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Hard-coded secrets in Python source: a table of rules, each a regular
// expression over a string literal's value (and, for some, over the name
// the literal is bound to), matched with RE2 sets. The scanner calls these
// for every string literal, assignment, dict entry and call keyword.
//
//   rule (FindingId)       finds
//   aws-access-key-id      AKIA/ASIA followed by 16 of [A-Z0-9], in any
//                          string, not inside a longer word
//   aws-session-token      an STS session token (base64 starting
//                          "IQoJb3JpZ2luX2Vj" or "FwoGZXIvYXdzE", 100 or
//                          more characters) in any string; or any value
//                          passed as, or a base64 value of 100 or more
//                          characters assigned to, a *session_token /
//                          *security_token name
//   aws-secret-access-key  any value passed as, or a 40-character
//                          [A-Za-z0-9/+] value assigned to, a
//                          *secret_access_key, aws_secret_key or
//                          aws_secret name
//   django-secret-key      SECRET_KEY = "<16 or more non-blank characters>"
//                          at module level of a Django settings module
//   database-url-password  a database or broker URL (postgres, mysql,
//                          mariadb, oracle, mssql, redshift, cockroachdb,
//                          redis, mongodb, amqp) with a password, in any
//                          string; templates such as ${DB_PASSWORD} or
//                          {password} are not passwords
//
// Messages never contain a whole secret: keys are shown as "AKIA…WXYZ" and
// passwords as "…".

#ifndef LEASTPRIV_LIB_RULES_SECRET_RULES_H_
#define LEASTPRIV_LIB_RULES_SECRET_RULES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leastpriv/finding.h"

namespace leastpriv::rules {

// One hard-coded secret.
struct SecretHit {
  FindingCode code;  // a rule of the table above
  // kError; kWarning for a database URL whose host is the local machine.
  Severity severity = Severity::kError;
  std::string message;
};

// Secrets found by the value rules anywhere inside `literal`, the value of
// one string literal: each occurrence once, left to right.
std::vector<SecretHit> SecretsInLiteral(std::string_view literal);

// How a literal value is bound to a name.
enum class Binding {
  kAssignment,  // NAME = "value", obj.NAME = "value"
  kDictEntry,   // {"NAME": "value"}
  kKeyword,     // f(NAME="value"): the callee says what the value is, so
                // any non-empty value counts, whatever its shape
};

// Where the binding sits.
enum class Place {
  kAnywhere,
  // Module level of a Django settings module that is not named for local,
  // development or test use.
  kProductionSettings,
};

// Whether some name rule applies to `name`: a cheap test to make before
// reading the value bound to it (the scanner asks for every assignment,
// keyword and dict key of a project).
bool MayNameSecret(std::string_view name);

// The secret a name rule finds in `value` bound to `name`, or nullopt. At
// most one finding per binding (the first rule of the table that applies).
std::optional<SecretHit> SecretInBinding(std::string_view name,
                                         std::string_view value,
                                         Binding binding, Place place);

// "AKIA…WXYZ": the first and last four characters, or "…" for a value of
// eight characters or fewer.
std::string Mask(std::string_view secret);

}  // namespace leastpriv::rules

#endif  // LEASTPRIV_LIB_RULES_SECRET_RULES_H_
