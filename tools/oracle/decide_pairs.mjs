// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Decides every request of a document of policy-set pairs under both sides
// with @cloud-copilot/iam-simulate (run here by node only; never linked into
// or copied into leastpriv), and times it.
//
//   node decide_pairs.mjs PAIRS [--out FILE] [--warmup N]
//
// PAIRS: {"pairs": [{"name", "old": SET, "new": SET, "requests": [{"name",
// "kind", "principal", "action", "resource", "context"}]}]}, SET being a
// policy set of eval_fixtures.json. With --out, writes the document with
// "oracle": {"package", "version"} and each request's "old" and "new"
// decisions ("Allowed", "ImplicitlyDenied", "ExplicitlyDenied", or
// "error: ..." when the simulator rejects the request). Prints one JSON
// line: {"package", "version", "requests", "simulations", "ms",
// "ns_per_simulation", "new_access", "removed_access", "errors"}, where
// "ms" counts only the simulator's calls and "new_access" the requests
// allowed by NEW and not by OLD. --warmup N first runs N untimed
// simulations of the first pair (default 200).

import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runSimulation } from '@cloud-copilot/iam-simulate'
import { toSimulation } from './oracle_simulation.mjs'

const here = dirname(fileURLToPath(import.meta.url))

function parseArgs(argv) {
  const opts = { input: undefined, out: undefined, warmup: 200 }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') opts.out = argv[++i]
    else if (argv[i] === '--warmup') opts.warmup = Number(argv[++i])
    else if (opts.input === undefined) opts.input = argv[i]
    else throw new Error(`unexpected argument ${argv[i]}`)
  }
  if (!opts.input) throw new Error('usage: node decide_pairs.mjs PAIRS [--out FILE] [--warmup N]')
  return opts
}

async function decide(set, request) {
  const result = await runSimulation(toSimulation(set, request), {})
  if (result.resultType === 'error') return `error: ${JSON.stringify(result.errors)}`
  return result.overallResult
}

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  const doc = JSON.parse(readFileSync(opts.input, 'utf8'))
  const pkg = JSON.parse(readFileSync(
    join(here, 'node_modules/@cloud-copilot/iam-simulate/package.json'), 'utf8'))
  const first = doc.pairs[0]
  if (first) {
    for (let i = 0; i < opts.warmup && first.requests.length > 0; i++) {
      await decide(first.new, first.requests[i % first.requests.length])
    }
  }
  let ns = 0n
  let simulations = 0
  let requests = 0
  let newAccess = 0
  let removedAccess = 0
  let errors = 0
  for (const pair of doc.pairs) {
    for (const request of pair.requests) {
      const start = process.hrtime.bigint()
      request.old = await decide(pair.old, request)
      request.new = await decide(pair.new, request)
      ns += process.hrtime.bigint() - start
      simulations += 2
      requests++
      if (request.old.startsWith('error') || request.new.startsWith('error')) errors++
      else if (request.new === 'Allowed' && request.old !== 'Allowed') newAccess++
      else if (request.old === 'Allowed' && request.new !== 'Allowed') removedAccess++
    }
  }
  if (opts.out) {
    const out = { oracle: { package: pkg.name, version: pkg.version }, ...doc }
    writeFileSync(opts.out, JSON.stringify(out) + '\n')
  }
  console.log(JSON.stringify({
    package: pkg.name,
    version: pkg.version,
    requests,
    simulations,
    ms: Number(ns) / 1e6,
    ns_per_simulation: simulations > 0 ? Number(ns) / simulations : 0,
    new_access: newAccess,
    removed_access: removedAccess,
    errors
  }))
}

main().catch((e) => {
  console.error(`decide_pairs: ${e.message}`)
  process.exit(1)
})
