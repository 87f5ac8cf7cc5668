// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Turns one policy set and request of testdata/oracle/eval_fixtures.json
// into the input of @cloud-copilot/iam-simulate's runSimulation.

function accountOf(arn) {
  return arn.split(':')[4]
}

// The table name of a DynamoDB table/index/stream ARN.
function tableOf(arn) {
  return (arn.split(':')[5] ?? '').split('/')[1]
}

export function toSimulation(set, request) {
  return {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: accountOf(request.resource) },
      contextVariables: request.context
    },
    identityPolicies: set.identity,
    permissionBoundaryPolicies: set.boundary ? [set.boundary] : undefined,
    serviceControlPolicies: set.scp.map((policies, i) => ({ orgIdentifier: `ou-level-${i}`, policies })),
    // The oracle accepts only Deny statements in RCPs and adds
    // RCPFullAWSAccess itself.
    resourceControlPolicies: set.rcp.map((policies, i) => ({
      orgIdentifier: `ou-level-${i}`,
      policies: policies.filter((p) => p.name !== 'RCPFullAWSAccess')
    })),
    resourcePolicy: set.resource && tableOf(request.resource) === set.resource.key
      ? set.resource.policy
      : undefined
  }
}
