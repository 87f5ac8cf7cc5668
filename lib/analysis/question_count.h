// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// One analysis call's count of solver questions (see
// AnalysisOptions::max_solver_questions): each entry point (Reachable,
// Allows, FindAllowedDifference, CheckTenantIsolation, ScanDifferences,
// DiffPolicies, CheckAccessNotGranted) that is given no count calls itself
// again with one of its own, so that the calls it makes share it.

#ifndef LEASTPRIV_LIB_ANALYSIS_QUESTION_COUNT_H_
#define LEASTPRIV_LIB_ANALYSIS_QUESTION_COUNT_H_

#include "leastpriv/analyzer.h"

namespace leastpriv::analysis {

// `options` with a count of solver questions of its own when it holds
// none; unchanged otherwise.
AnalysisOptions WithQuestionCount(const AnalysisOptions& options);

}  // namespace leastpriv::analysis

#endif  // LEASTPRIV_LIB_ANALYSIS_QUESTION_COUNT_H_
