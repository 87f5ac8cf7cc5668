// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Generates differential-testing fixtures for the concrete evaluator
// (lib/eval): random DynamoDB policy sets and requests from a fixed seed,
// each decided by the external oracle @cloud-copilot/iam-simulate (run here
// by node only; it is never linked into or copied into leastpriv).
//
//   cd tools/oracle && npm ci && node gen_eval_fixtures.mjs \
//       [--seed N] [--sets N] [--requests-per-set N] [--out FILE]
//
// Output (default ../../testdata/oracle/eval_fixtures.json):
//   {"oracle": {"package", "version"}, "seed", "sets": [{"name",
//    "identity": [{"name", "policy"}], "boundary": {...}|null,
//    "scp": [[{"name", "policy"}]], "rcp": [[...]],
//    "resource": {"key", "policy"}|null,
//    "requests": [{"name", "principal", "action", "resource",
//                  "context": {key: string | [strings]}, "expected"}]}]}

import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { allowedContextKeysForRequest, runSimulation } from '@cloud-copilot/iam-simulate'
import { toSimulation } from './oracle_simulation.mjs'

const here = dirname(fileURLToPath(import.meta.url))

function parseArgs(argv) {
  const opts = {
    seed: 20240611,
    sets: 210,
    requestsPerSet: 10,
    out: join(here, '../../testdata/oracle/eval_fixtures.json')
  }
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]]
    if (value === undefined) throw new Error(`missing value for ${flag}`)
    if (flag === '--seed') opts.seed = Number(value)
    else if (flag === '--sets') opts.sets = Number(value)
    else if (flag === '--requests-per-set') opts.requestsPerSet = Number(value)
    else if (flag === '--out') opts.out = value
    else throw new Error(`unknown option ${flag}`)
  }
  return opts
}

// mulberry32: small, fast, deterministic.
function makeRng(seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const rng = {
    next,
    int: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)],
    some: (list, max) => {
      const n = 1 + Math.floor(next() * max)
      const out = []
      for (let i = 0; i < n; i++) {
        const v = list[Math.floor(next() * list.length)]
        if (!out.includes(v)) out.push(v)
      }
      return out
    }
  }
  return rng
}

const ACCOUNT = '111122223333'
const OTHER_ACCOUNT = '444455556666'
const REGION = 'us-east-1'
const tableArn = (name, account = ACCOUNT, region = REGION) =>
  `arn:aws:dynamodb:${region}:${account}:table/${name}`

const PRINCIPALS = [
  `arn:aws:iam::${ACCOUNT}:role/app`,
  `arn:aws:iam::${ACCOUNT}:user/alice`,
  `arn:aws:sts::${ACCOUNT}:assumed-role/app/worker-1`,
  `arn:aws:iam::${OTHER_ACCOUNT}:role/partner`
]

const ACTIONS = [
  'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem',
  'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:Scan',
  'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:DescribeTable',
  'dynamodb:ConditionCheckItem', 'dynamodb:PartiQLSelect',
  'dynamodb:GetRecords', 'dynamodb:DescribeStream'
]
const ACTION_PATTERNS = [
  ...ACTIONS, 'dynamodb:*', 'dynamodb:Get*', 'dynamodb:?uery', 'dynamodb:Batch*Item',
  'dynamodb:*Item', 'dynamodb:describe*', 'DynamoDB:GETITEM', '*', 'dynamodb:Partiql*'
]

const TABLES = ['Orders', 'Users', 'alice-data', 'app-logs']
const RESOURCES = [
  tableArn('Orders'), tableArn('Users'), tableArn('alice-data'), tableArn('app-logs'),
  tableArn('Orders') + '/index/ByDate', tableArn('Users') + '/index/ByEmail',
  tableArn('Orders') + '/stream/2024-01-01T00:00:00.000',
  tableArn('Orders', ACCOUNT, 'eu-west-1')
]
const RESOURCE_PATTERNS = [
  '*', tableArn('Orders'), tableArn('Users'), tableArn('*'), tableArn('Ord*'),
  tableArn('Orders') + '/index/*', tableArn('Orders') + '/*',
  tableArn('?sers'), `arn:aws:dynamodb:*:${ACCOUNT}:table/*`,
  `arn:aws:dynamodb:${REGION}:*:table/Orders*`, `arn:aws:dynamodb:eu-*:*:table/*`,
  tableArn('${aws:username}-*'), tableArn('${aws:username, \'nobody\'}-data'),
  tableArn('${aws:PrincipalTag/team}'), tableArn('Orders${*}'),
  tableArn('orders'), `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/Orders/stream/*`
]

// Request context: keys with value generators. `multi` keys take lists.
const CONTEXT = {
  'aws:username': { values: ['alice', 'bob', 'a*'] },
  'aws:PrincipalTag/team': { values: ['Orders', 'Users', 'red', 'Blue'] },
  'dynamodb:Select': { values: ['ALL_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES', 'COUNT'] },
  'dynamodb:ReturnValues': { values: ['NONE', 'ALL_OLD', 'ALL_NEW', 'UPDATED_NEW'] },
  'dynamodb:EnclosingOperation': { values: ['TransactGetItems', 'TransactWriteItems'] },
  'dynamodb:LeadingKeys': { multi: true, values: ['alice', 'bob', 'Orders', 'tenant-1', 'tenant-2'] },
  'dynamodb:Attributes': { multi: true, values: ['id', 'name', 'email', 'ssn', 'Name'] },
  'aws:MultiFactorAuthAge': { values: ['0', '30', '3600', '86400', '12.5'] },
  'aws:CurrentTime': {
    values: ['2023-12-31T23:59:59Z', '2024-01-01T00:00:00Z', '2024-06-15T12:00:00Z',
      '2025-01-01T00:00:00Z']
  },
  'aws:EpochTime': { values: ['1704067200', '1700000000', '1750000000'] },
  'aws:SecureTransport': { values: ['true', 'false'] },
  'aws:MultiFactorAuthPresent': { values: ['true', 'false'] },
  'aws:SourceIp': { values: ['10.1.2.3', '192.168.0.5', '203.0.113.7', '2001:db8::1', '2001:db9::1'] },
  'aws:PrincipalArn': { values: PRINCIPALS },
  'aws:SourceArn': { values: [tableArn('Orders'), tableArn('Users'), 'arn:aws:s3:::bucket'] }
}

// Condition generators, by operator family: [operator, key, values].
function randomCondition(rng) {
  const family = rng.int(13)
  const ifx = rng.chance(0.25) ? 'IfExists' : ''
  switch (family) {
    case 0:
      return [rng.pick(['StringEquals', 'StringNotEquals']) + ifx,
        rng.pick(['dynamodb:Select', 'dynamodb:ReturnValues', 'dynamodb:EnclosingOperation']),
        rng.some(['ALL_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES', 'COUNT', 'NONE', 'ALL_NEW',
          'TransactGetItems'], 2)]
    case 1:
      return [rng.pick(['StringLike', 'StringNotLike']) + ifx,
        rng.pick(['dynamodb:ReturnValues', 'aws:username', 'aws:PrincipalTag/team']),
        rng.some(['ALL_*', '*_NEW', 'a*', '?ob', 'R*', '${aws:username}', 'x${*}', '*'], 2)]
    case 2:
      return [rng.pick(['StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase']) + ifx,
        'aws:PrincipalTag/team', rng.some(['orders', 'BLUE', 'red'], 2)]
    case 3:
      return [rng.pick(['ForAllValues:', 'ForAnyValue:']) +
        rng.pick(['StringEquals', 'StringLike', 'StringNotEquals', 'StringNotLike']) + ifx,
      rng.pick(['dynamodb:LeadingKeys', 'dynamodb:Attributes']),
      rng.some(['alice', 'bob', 'tenant-*', 'id', 'name', 'email', '${aws:username}',
        '${aws:PrincipalTag/team}'], 3)]
    case 4:
      return [rng.pick(['NumericEquals', 'NumericNotEquals', 'NumericLessThan',
        'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals']) + ifx,
      'aws:MultiFactorAuthAge', rng.some(['0', '30', '3600', '12.5'], 2)]
    case 5:
      return [rng.pick(['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals',
        'DateGreaterThan', 'DateGreaterThanEquals']) + ifx,
      rng.pick(['aws:CurrentTime', 'aws:EpochTime']),
      rng.some(['2024-01-01T00:00:00Z', '2024-06-15T12:00:00Z', '1704067200',
        '2024-01-01T02:00:00+02:00'], 2)]
    case 6:
      return ['Bool' + ifx, rng.pick(['aws:SecureTransport', 'aws:MultiFactorAuthPresent']),
        [rng.pick(['true', 'false'])]]
    case 7:
      return [rng.pick(['IpAddress', 'NotIpAddress']) + ifx, 'aws:SourceIp',
        rng.some(['10.0.0.0/8', '192.168.0.0/16', '203.0.113.7/32', '2001:db8::/32',
          '0.0.0.0/0'], 2)]
    case 8:
      return [rng.pick(['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike']) + ifx,
        rng.pick(['aws:PrincipalArn', 'aws:SourceArn']),
        rng.some([`arn:aws:iam::${ACCOUNT}:role/*`, `arn:aws:iam::*:user/alice`,
          tableArn('*'), `arn:aws:sts::${ACCOUNT}:assumed-role/app/*`, PRINCIPALS[0]], 2)]
    case 9:
      return ['Null', rng.pick(Object.keys(CONTEXT)), [rng.pick(['true', 'false'])]]
    case 10:
      return [rng.pick(['StringEquals', 'StringLike']) + ifx, 'aws:username',
        rng.some(['alice', '${aws:PrincipalTag/team}', '${aws:username}', 'a${?}ice',
          '${aws:userid, \'alice\'}'], 2)]
    case 11:
      return [rng.pick(['ForAllValues:', 'ForAnyValue:']) + 'StringEquals',
        'dynamodb:Attributes', rng.some(['id', 'name', 'email'], 3)]
    default:
      return [rng.pick(['StringEquals', 'StringNotEquals']) + ifx, 'aws:PrincipalTag/team',
        rng.some(['Orders', 'Users', '${aws:username}'], 2)]
  }
}

function randomStatement(rng, { effect, principal, resourcePolicyKey }) {
  const st = { Sid: `S${rng.int(1000)}`, Effect: effect ?? (rng.chance(0.8) ? 'Allow' : 'Deny') }
  if (principal) {
    const r = rng.int(10)
    const name = rng.chance(0.15) ? 'NotPrincipal' : 'Principal'
    if (r < 2) st[name] = '*'
    else if (r < 3) st[name] = { AWS: '*' }
    else if (r < 5) st[name] = { AWS: rng.pick([ACCOUNT, OTHER_ACCOUNT]) }
    else if (r < 6) st[name] = { AWS: `arn:aws:iam::${rng.pick([ACCOUNT, OTHER_ACCOUNT])}:root` }
    else st[name] = { AWS: rng.some(PRINCIPALS, 2) }
    if (name === 'NotPrincipal') st.Effect = 'Deny'
  }
  const actions = rng.some(ACTION_PATTERNS, 3)
  st[rng.chance(0.15) ? 'NotAction' : 'Action'] = actions.length === 1 ? actions[0] : actions
  if (resourcePolicyKey && rng.chance(0.4)) {
    // Resource omitted: the table the policy is attached to.
  } else {
    const res = rng.some(RESOURCE_PATTERNS, 2)
    st[rng.chance(0.1) ? 'NotResource' : 'Resource'] = res.length === 1 ? res[0] : res
  }
  if (rng.chance(0.55)) {
    const cond = {}
    const n = 1 + rng.int(2)
    for (let i = 0; i < n; i++) {
      const [op, key, values] = randomCondition(rng)
      cond[op] = cond[op] ?? {}
      cond[op][key] = values.length === 1 && rng.chance(0.5) ? values[0] : values
    }
    st.Condition = cond
  }
  return st
}

function randomPolicy(rng, opts = {}) {
  const n = 1 + rng.int(opts.maxStatements ?? 3)
  const Statement = []
  for (let i = 0; i < n; i++) Statement.push(randomStatement(rng, opts))
  const Version = rng.chance(0.9) ? '2012-10-17' : '2008-10-17'
  return { Version, Statement }
}

const allowAll = (principal) => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'FullAccess', Effect: 'Allow', ...(principal ? { Principal: '*' } : {}), Action: '*', Resource: '*' }]
})

function randomSet(rng, index) {
  const name = `set-${String(index).padStart(4, '0')}`
  const set = { name, identity: [], boundary: null, scp: [], rcp: [], resource: null, requests: [] }
  const nIdentity = rng.int(3) + (rng.chance(0.8) ? 1 : 0)
  for (let i = 0; i < nIdentity; i++) {
    set.identity.push({ name: `${name}-identity-${i}`, policy: randomPolicy(rng, { maxStatements: 4 }) })
  }
  if (rng.chance(0.35)) {
    set.boundary = { name: `${name}-boundary`, policy: randomPolicy(rng, { effect: 'Allow' }) }
  }
  if (rng.chance(0.4)) {
    const levels = 1 + rng.int(2)
    for (let l = 0; l < levels; l++) {
      const policies = [{ name: `${name}-scp-${l}`, policy: rng.chance(0.6) ? allowAll(false) : randomPolicy(rng) }]
      if (rng.chance(0.4)) policies.push({ name: `${name}-scp-${l}-b`, policy: randomPolicy(rng, { effect: 'Deny' }) })
      set.scp.push(policies)
    }
  }
  if (rng.chance(0.2)) {
    // Real organisations always carry RCPFullAWSAccess at every level.
    const deny = randomPolicy(rng, { effect: 'Deny', principal: true })
    deny.Version = '2012-10-17'
    for (const st of deny.Statement) {
      delete st.NotPrincipal
      st.Effect = 'Deny'
      st.Principal = '*'
      if (st.NotAction) {
        st.Action = st.NotAction
        delete st.NotAction
      }
      for (const k of ['Action', 'NotAction']) {
        if (st[k] === '*' || (Array.isArray(st[k]) && st[k].includes('*'))) st[k] = 'dynamodb:*'
      }
    }
    set.rcp.push([
      { name: 'RCPFullAWSAccess', policy: allowAll(true) },
      { name: `${name}-rcp-0`, policy: deny }
    ])
  }
  if (rng.chance(0.45)) {
    const key = rng.pick(TABLES)
    set.resource = {
      key,
      policy: randomPolicy(rng, { principal: true, resourcePolicyKey: key })
    }
  }
  return set
}

// Service keys that AWS sends for the action (global aws: keys always).
const allowedKeysCache = new Map()
async function allowedKeys(action, resource) {
  const cacheKey = `${action} ${resource}`
  if (!allowedKeysCache.has(cacheKey)) {
    const keys = await allowedContextKeysForRequest('dynamodb', action.split(':')[1], resource, false, undefined)
    allowedKeysCache.set(cacheKey, new Set(keys))
  }
  return allowedKeysCache.get(cacheKey)
}

async function randomRequest(rng, set, index) {
  let resource = rng.pick(RESOURCES)
  if (set.resource && rng.chance(0.5)) resource = tableArn(set.resource.key)
  const context = {}
  for (const [key, spec] of Object.entries(CONTEXT)) {
    if (!rng.chance(0.45)) continue
    context[key] = spec.multi ? rng.some(spec.values, 3).slice(0, rng.int(4)) : rng.pick(spec.values)
  }
  const principal = rng.pick(PRINCIPALS)
  // Only actions that apply to the resource type (the oracle rejects others).
  const action = resource.includes('/stream/')
    ? rng.pick(['dynamodb:GetRecords', 'dynamodb:DescribeStream', 'dynamodb:GetShardIterator'])
    : resource.includes('/index/')
      ? rng.pick(['dynamodb:Query', 'dynamodb:Scan'])
      : rng.pick(ACTIONS.filter((a) => !['dynamodb:GetRecords', 'dynamodb:DescribeStream'].includes(a)))
  const allowed = await allowedKeys(action, resource)
  for (const key of Object.keys(context)) {
    if (!key.startsWith('aws:') && !allowed.has(key.toLowerCase())) delete context[key]
  }
  return { name: `${set.name}-req-${String(index).padStart(2, '0')}`, principal, action, resource, context }
}

async function decide(set, request) {
  const result = await runSimulation(toSimulation(set, request), {})
  if (result.resultType === 'error') {
    if (process.env.SHOW_ERRORS) console.error(JSON.stringify(result.errors).slice(0, 300))
    return { error: JSON.stringify(result.errors) }
  }
  return { decision: result.overallResult }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  const pkg = JSON.parse(readFileSync(
    join(here, 'node_modules/@cloud-copilot/iam-simulate/package.json'), 'utf8'))
  const rng = makeRng(opts.seed)
  const sets = []
  let errors = 0
  for (let s = 0; s < opts.sets; s++) {
    const set = randomSet(rng, s)
    for (let r = 0; r < opts.requestsPerSet; r++) {
      const request = await randomRequest(rng, set, r)
      const outcome = await decide(set, request)
      if (outcome.error) {
        errors++
        continue
      }
      request.expected = outcome.decision
      set.requests.push(request)
    }
    sets.push(set)
  }
  const doc = { oracle: { package: pkg.name, version: pkg.version }, seed: opts.seed, sets }
  writeFileSync(opts.out, JSON.stringify(doc) + '\n')
  const total = sets.reduce((n, s) => n + s.requests.length, 0)
  console.log(`wrote ${total} requests in ${sets.length} policy sets (${errors} rejected by the oracle) to ${opts.out}`)
}

main().catch((e) => {
  console.error(`gen_eval_fixtures: ${e.message}`)
  process.exit(1)
})
