// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Times @cloud-copilot/iam-simulate on the requests of a fixture file and
// prints {"package", "version", "requests", "ns_per_request"} as one JSON
// line. Used by bench/evaluate_benchmark.cc for the comparison figure.
//
//   node bench_eval.mjs FIXTURE [--rounds N]

import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runSimulation } from '@cloud-copilot/iam-simulate'
import { toSimulation } from './oracle_simulation.mjs'

const here = dirname(fileURLToPath(import.meta.url))

async function main() {
  const [fixture, flag, value] = process.argv.slice(2)
  if (!fixture) throw new Error('usage: node bench_eval.mjs FIXTURE [--rounds N]')
  const rounds = flag === '--rounds' ? Number(value) : 1
  const doc = JSON.parse(readFileSync(fixture, 'utf8'))
  const sims = []
  for (const set of doc.sets) for (const r of set.requests) sims.push(toSimulation(set, r))
  for (const s of sims.slice(0, 200)) await runSimulation(s, {}) // warm-up
  const start = process.hrtime.bigint()
  for (let i = 0; i < rounds; i++) for (const s of sims) await runSimulation(s, {})
  const ns = Number(process.hrtime.bigint() - start)
  const pkg = JSON.parse(readFileSync(
    join(here, 'node_modules/@cloud-copilot/iam-simulate/package.json'), 'utf8'))
  console.log(JSON.stringify({
    package: pkg.name,
    version: pkg.version,
    requests: sims.length * rounds,
    ns_per_request: ns / (sims.length * rounds)
  }))
}

main().catch((e) => {
  console.error(`bench_eval: ${e.message}`)
  process.exit(1)
})
