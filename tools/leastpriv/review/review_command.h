// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// `leastpriv review --base DIR --head DIR [--config FILE]
//                   [--format json|sarif|markdown] [--output FILE]
//                   [--rlimit N]`
//
// Reviews the change from the base checkout to the head checkout (see
// leastpriv/review.h) and prints the comments. Exit 0 when there is nothing
// at warning or above, 1 when there is, 2 for unusable input, 3 when the
// solver could not decide some question.

#ifndef LEASTPRIV_TOOLS_LEASTPRIV_REVIEW_REVIEW_COMMAND_H_
#define LEASTPRIV_TOOLS_LEASTPRIV_REVIEW_REVIEW_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace leastpriv {

// `args` excludes the program and command names.
int RunReviewCommand(const std::vector<std::string>& args, std::ostream& out,
                     std::ostream& err);

}  // namespace leastpriv

#endif  // LEASTPRIV_TOOLS_LEASTPRIV_REVIEW_REVIEW_COMMAND_H_
