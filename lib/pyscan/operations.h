// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// The DynamoDB API operations the scanner recognises, by the names boto3
// gives them, which of them act on the account rather than a table, and
// the IAM action and table of a PartiQL statement. Private to lib/pyscan.

#ifndef LEASTPRIV_LIB_PYSCAN_OPERATIONS_H_
#define LEASTPRIV_LIB_PYSCAN_OPERATIONS_H_

#include <string>
#include <vector>

namespace leastpriv::pyscan {

// The IAM actions for a PartiQL statement (by verb) and its table/index.
struct PartiqlTarget {
  std::string action;  // "dynamodb:PartiQLSelect"; empty if no verb found
  std::string table;
  std::string index;
};
PartiqlTarget ParsePartiqlStatement(const std::string& statement);

// "get_item" -> "GetItem" when it is a DynamoDB API operation; "" otherwise.
std::string DynamoDbOperationForMethod(const std::string& method);

// Every DynamoDB API operation the scanner recognises, "GetItem", ...
const std::vector<std::string>& DynamoDbOperations();

// Operations authorized on Resource "*" (no table in the request): the
// catalog's actions without a resource type.
bool IsAccountLevel(const std::string& op);

}  // namespace leastpriv::pyscan

#endif  // LEASTPRIV_LIB_PYSCAN_OPERATIONS_H_
