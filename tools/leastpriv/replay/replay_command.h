// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// `leastpriv replay [policy options] --cloudtrail FILE|DIR|- ...
//                   [--format text|json|sarif|markdown] [--output FILE]
//                   [--jobs N] [--partition-key TABLE=ATTRIBUTE ...]`
//
// Streams the CloudTrail records of every --cloudtrail input (S3 log files,
// gzipped or not, directories of them, JSON lines, or standard input),
// decides each DynamoDB request they stand for under the given policies
// and reports the requests the policies would deny, grouped by action,
// resource and principal (see leastpriv/replay.h). With --principal (or
// --role), only that principal's requests are decided. --partition-key
// names the partition key attribute of a table (or TABLE/index/INDEX), for
// dynamodb:LeadingKeys of records whose key has two attributes. Exit 0 when
// nothing would be denied, 1 when something would, 2 for unusable input (with a
// positioned diagnostic).

#ifndef LEASTPRIV_TOOLS_LEASTPRIV_REPLAY_REPLAY_COMMAND_H_
#define LEASTPRIV_TOOLS_LEASTPRIV_REPLAY_REPLAY_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace leastpriv {

// `args` excludes the program and command names.
int RunReplayCommand(const std::vector<std::string>& args, std::ostream& out,
                     std::ostream& err);

}  // namespace leastpriv

#endif  // LEASTPRIV_TOOLS_LEASTPRIV_REPLAY_REPLAY_COMMAND_H_
