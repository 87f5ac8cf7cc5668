// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The names AWS accepts in DynamoDB resource ARNs: the values real requests
// carry, which are the only ones the symbolic engine gives witnesses for.
//   - table, index and global table names: 3 to 255 characters of
//     [a-zA-Z0-9_.-];
//   - regions shaped like "us-east-1" (two letters, '-', letters and '-',
//     '-', digits); empty for a global table;
//   - accounts: 12 digits;
//   - stream labels shaped like the timestamp "2024-06-15T06:06:06.123";
//   - backup, export and import ids shaped like "01717171717171-a1b2c3d4";
// and the values of the context keys a principal decides:
//   - IAM user names and role session names: 1 to 64 (session names 2 to
//     64) characters of [a-zA-Z0-9_+=,.@-];
//   - aws:userid of an IAM user: its unique id, "AIDA" and at least 16
//     upper-case letters and digits ("AIDACKCEVSQ6C2EXAMPLE"); of a role
//     session: the role's unique id ("AROA...") ':' the session name.

#ifndef LEASTPRIV_LIB_EVAL_NAMING_H_
#define LEASTPRIV_LIB_EVAL_NAMING_H_

#include <string_view>

namespace leastpriv::eval {

bool IsValidTableName(std::string_view name);
bool IsValidRegionName(std::string_view region);
bool IsValidAccountId(std::string_view account);
bool IsValidStreamLabel(std::string_view label);
// Backup, export and import ids.
bool IsValidResourceId(std::string_view id);

bool IsValidIamUserName(std::string_view name);
bool IsValidRoleSessionName(std::string_view name);
bool IsValidUserUserId(std::string_view userid);
bool IsValidRoleSessionUserId(std::string_view userid);

// True for "*" and for a DynamoDB ARN of one of the catalog's resource
// types whose every name follows the rules above.
bool IsValidDynamoDbResource(std::string_view arn);

}  // namespace leastpriv::eval

#endif  // LEASTPRIV_LIB_EVAL_NAMING_H_
