// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Decides the requests of a fixture file with @cloud-copilot/iam-simulate
// (run here by node only) and compares with each request's "expected"
// decision, as leastpriv's Evaluate gave it. Prints one JSON line:
// {"package", "version", "requests", "agree", "disagree", "errors",
//  "examples": [first disagreements]}.
//
//   node agree_eval.mjs FIXTURE

import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runSimulation } from '@cloud-copilot/iam-simulate'
import { toSimulation } from './oracle_simulation.mjs'

const here = dirname(fileURLToPath(import.meta.url))

async function main() {
  const [fixture] = process.argv.slice(2)
  if (!fixture) throw new Error('usage: node agree_eval.mjs FIXTURE')
  const doc = JSON.parse(readFileSync(fixture, 'utf8'))
  let requests = 0, agree = 0, disagree = 0, errors = 0
  const examples = []
  for (const set of doc.sets) {
    for (const r of set.requests) {
      ++requests
      const result = await runSimulation(toSimulation(set, r), {})
      if (result.resultType === 'error') {
        ++errors
        continue
      }
      if (result.overallResult === r.expected) {
        ++agree
      } else {
        ++disagree
        if (examples.length < 5) {
          examples.push({ set: set.name, request: r, theirs: result.overallResult })
        }
      }
    }
  }
  const pkg = JSON.parse(readFileSync(
    join(here, 'node_modules/@cloud-copilot/iam-simulate/package.json'), 'utf8'))
  console.log(JSON.stringify({
    package: pkg.name, version: pkg.version, requests, agree, disagree, errors, examples
  }))
}

main().catch((e) => {
  console.error(`agree_eval: ${e.message}`)
  process.exit(1)
})
