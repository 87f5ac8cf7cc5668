// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Generated identity policies for the policy-comparison benchmark and the
// tests that check it against an external simulator: per-service-table
// grants, and a pull-request-sized edit of one.

#ifndef LEASTPRIV_BENCH_SERVICE_POLICIES_H_
#define LEASTPRIV_BENCH_SERVICE_POLICIES_H_

#include "leastpriv/policy.h"

namespace leastpriv::bench {

// `statements` statements over tables "svc-0" ... (statements / 4 of them,
// in eu-west-1, account 111122223333): each grants one to three actions or
// action patterns on a table, its indexes ("/index/*") or a table-name
// prefix ("svc-3*"); one in five has a team-tag condition, one in five a
// TLS condition; one in twelve is a Deny. Deterministic in `seed`.
// REQUIRES: statements >= 4.
Policy GenerateServicePolicy(int statements, unsigned seed);

// A pull request on `p`: every 50th statement from the fourth widened to a
// prefix (its resource gains a trailing "*"), the first Deny dropped, the
// first condition removed.
Policy EditAsPullRequest(Policy p);

}  // namespace leastpriv::bench

#endif  // LEASTPRIV_BENCH_SERVICE_POLICIES_H_
