// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The covering request universe of one or more policy sets: concrete
// requests built from the constants and patterns the policies name, for
// brute-force enumeration with Evaluate or with an external IAM simulator.
// Benchmark and test support only; the symbolic engine never uses it.
//
// A request is (principal, action, resource, context):
//   - action: every DynamoDB action of the catalog, or `actions`;
//   - resource: "*" for wildcard-only actions; otherwise every candidate ARN
//     whose resource type the action is authorized on. Candidates come from
//     every Resource/NotResource entry and resource-policy key that reads as
//     a DynamoDB ARN (pattern): its region, account and table name, and the
//     index names, stream labels, ... it names, each instantiated with its
//     wildcards replaced by nothing and by "x" (a segment that is only
//     wildcards by "x" and by the default). Every table name is combined
//     with every region and account, and gives one ARN per resource type
//     (table, each index name, a stream, a backup, an export, an import and
//     a global table), so that a pattern's prefix, its exact value and a
//     value no pattern names are all represented. Policy variables are
//     instantiated as "x";
//   - context: for each action and resource, the condition keys of the
//     statements whose Action/NotAction and Resource/NotResource match them
//     (a statement's conditions cannot matter elsewhere), each absent or
//     taking the values on both sides of every policy value (the value, a
//     value next to it for numbers, dates and IP blocks, a value no pattern
//     matches, and both cases for ...IgnoreCase); multi-valued keys as the
//     empty set, each single value and all values together; every
//     combination of those, up to `max_contexts` (then an even sample of
//     them). Service (dynamodb:) keys are varied only for the actions that
//     support them (ActionSupportsConditionKey), as AWS sends no others.
//
// It is a finite sample chosen to meet every class the policies
// distinguish in the common cases, not a proof of coverage: the engine's
// own partition is what makes DiffPolicies exact.

#ifndef LEASTPRIV_LIB_EVAL_REQUEST_UNIVERSE_H_
#define LEASTPRIV_LIB_EVAL_REQUEST_UNIVERSE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "leastpriv/evaluate.h"
#include "leastpriv/policy.h"

namespace leastpriv::eval {

struct UniverseOptions {
  // The principal of every request.
  std::string principal = "arn:aws:iam::111122223333:role/app";
  // Actions to enumerate ("dynamodb:GetItem"); empty: every DynamoDB action.
  std::vector<std::string> actions;
  // Region and account for ARN segments that are only wildcards, besides
  // "x". Empty: the first region (account) some policy names literally,
  // else "us-east-1" (the principal's account).
  std::string region;
  std::string account;
  // When false, every request has the empty context.
  bool vary_context = true;
  // Most contexts per (action, resource); above it an even sample is kept.
  std::size_t max_contexts = 256;
};

// The covering requests of `sets` (every policy of every set contributes),
// in catalog order of actions, then resource, then context. Deterministic.
std::vector<Request> CoveringRequests(const std::vector<const PolicySet*>& sets,
                                      const UniverseOptions& options = {});

// Every `stride`-th request of `requests` from the first, with `stride`
// chosen so that at most `max` are kept (all of them when `max` is 0).
std::vector<Request> EvenSample(const std::vector<Request>& requests,
                                std::size_t max);

}  // namespace leastpriv::eval

#endif  // LEASTPRIV_LIB_EVAL_REQUEST_UNIVERSE_H_
