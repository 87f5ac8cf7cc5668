// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Turns one policy set and request of testdata/oracle/eval_fixtures.json
// into the input of @cloud-copilot/iam-simulate's runSimulation.

function accountOf(arn) {
  return arn.split(':')[4]
}

// The resource's account; a resource without one ("*" for wildcard-only
// actions) belongs to the principal's account, as Evaluate reads it.
function resourceAccount(request) {
  return accountOf(request.resource) || accountOf(request.principal)
}

// The table name of a DynamoDB table/index/stream/... ARN (not of a
// global table, which has no table policy).
function tableOf(arn) {
  const [type, name] = (arn.split(':')[5] ?? '').split('/')
  return type === 'table' ? name : undefined
}

export function toSimulation(set, request) {
  return {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: resourceAccount(request) },
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
