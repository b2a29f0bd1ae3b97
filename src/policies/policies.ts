import { InvalidSecurityPolicyError } from './policies.errors';

/*
 * Security policies travel inside embed tokens and end up in the analytics provider's queries, so
 * they are data with a closed shape, never SQL: identifiers are checked against a strict pattern,
 * values are scalars, and the free-form parts are size- and depth-capped JSON (SPEC §4).
 *
 * Everything here is iterative and checks prototypes and property descriptors before reading, so
 * hostile input (deep nesting, getters, class instances, `__proto__` keys) ends in an
 * InvalidSecurityPolicyError and never in a TypeError or a stack overflow.
 */

export const RCLS_OPERATORS = ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'is_null', 'not_null'] as const;
export type RclsOperator = (typeof RCLS_OPERATORS)[number];
export type PolicyScalar = string | number | boolean;

export interface RowPolicy {
  dataset?: string;
  column: string;
  operator: RclsOperator;
  values: PolicyScalar[];
}

export interface ConnectionPolicy {
  connectionId?: string;
  params: Record<string, PolicyScalar | null>;
}

export type JsonObject = { [key: string]: unknown };

export interface SecurityPolicies {
  cls?: ConnectionPolicy[];
  rcls?: RowPolicy[];
  sls?: string;
  params?: JsonObject;
  config?: JsonObject;
}

export interface PolicyInput {
  cls?: unknown;
  rcls?: unknown;
  sls?: unknown;
  params?: unknown;
  config?: unknown;
}

export const POLICY_LIMITS = {
  /** Rules in `rcls`, connection policies in `cls`. */
  maxRules: 50,
  /** Values of an `in` / `not_in` rule. */
  maxListValues: 100,
  /** Characters (code points) of a string value. */
  maxStringLength: 256,
  /** Entries of one `cls` policy's `params`. */
  maxConnectionParams: 50,
  /** UTF-8 bytes of `JSON.stringify(params)` / `JSON.stringify(config)`. */
  maxObjectBytes: 4096,
  /** Nesting of `params` / `config`; the object itself is level 1. */
  maxObjectDepth: 5,
  /** Characters (code points) of a key in `params` / `config`. */
  maxKeyLength: 128,
} as const;

/** A table, column, schema or parameter name. ASCII only, so no lookalikes and no quoting needed. */
export const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** `column` or `schema.column` / `table` or `schema.table`: at most one dot. */
export const QUALIFIED_IDENTIFIER_PATTERN = /^([A-Za-z_][A-Za-z0-9_]{0,62}\.)?[A-Za-z_][A-Za-z0-9_]{0,62}$/;
export const CONNECTION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const RULE_KEYS: ReadonlySet<string> = new Set(['dataset', 'column', 'operator', 'values']);
const CONNECTION_KEYS: ReadonlySet<string> = new Set(['connectionId', 'params']);
/** Keys that reach prototypes when some later code copies or merges the object naively. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** How many values each operator takes, as [min, max]. */
const VALUE_COUNTS: Record<RclsOperator, readonly [number, number]> = {
  eq: [1, 1],
  neq: [1, 1],
  gt: [1, 1],
  gte: [1, 1],
  lt: [1, 1],
  lte: [1, 1],
  in: [1, POLICY_LIMITS.maxListValues],
  not_in: [1, POLICY_LIMITS.maxListValues],
  between: [2, 2],
  is_null: [0, 0],
  not_null: [0, 0],
};

/** Keys longer than this are cut in error paths, so a hostile key cannot bloat the error. */
const MAX_PATH_KEY_LENGTH = 128;
const PATH_SEGMENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Validates and normalizes (single rule/object → array). Throws InvalidSecurityPolicyError naming
 * the JSON path of the FIRST offence. Absent (undefined) fields stay absent; null is an offence.
 *
 * Fields are checked in the order cls, rcls, sls, params, config; inside a rule or connection
 * policy, unknown keys come first, then the fields in declaration order. The result shares no
 * objects with the input and is JSON-clean (`-0` becomes `0`), so it can be signed as is.
 */
export function parsePolicies(input: PolicyInput): SecurityPolicies {
  // Not required to be a plain object: callers may pass their request DTO instance.
  if (input === null || typeof input !== 'object' || Array.isArray(input)) fail('', 'must be an object');
  const { cls, rcls, sls, params, config } = input;
  const policies: SecurityPolicies = {};
  if (cls !== undefined) policies.cls = policyList(cls, 'cls', 'connection policy').map(([item, path]) => parseConnectionPolicy(item, path));
  if (rcls !== undefined) policies.rcls = policyList(rcls, 'rcls', 'rule').map(([item, path]) => parseRule(item, path));
  if (sls !== undefined) policies.sls = parseIdentifier(sls, 'sls', IDENTIFIER_PATTERN);
  if (params !== undefined) policies.params = parseJsonObject(params, 'params');
  if (config !== undefined) policies.config = parseJsonObject(config, 'config');
  return policies;
}

/** Bytes of the policies as they will be embedded, for the token-size cap the caller enforces. */
export function policiesSize(policies: SecurityPolicies): number {
  return Buffer.byteLength(JSON.stringify(policies), 'utf8');
}

function fail(path: string, reason: string): never {
  throw new InvalidSecurityPolicyError(path, reason);
}

/** A single object stands for a list of one; its path stays the caller's (`rcls.column`). */
function policyList(value: unknown, field: string, noun: string): Array<[unknown, string]> {
  if (isPlainObject(value)) return [[value, field]];
  if (!isPlainArray(value)) fail(field, `must be a ${noun} object or a list of them`);
  if (value.length === 0) fail(field, `must hold at least one ${noun}`);
  if (value.length > POLICY_LIMITS.maxRules) fail(field, `must hold at most ${POLICY_LIMITS.maxRules} entries`);
  return arrayItems(value, field).map((item, i) => [item, indexPath(field, i)]);
}

function parseRule(value: unknown, path: string): RowPolicy {
  if (!isPlainObject(value)) fail(path, 'must be a rule object');
  const fields = knownFields(value, path, RULE_KEYS);
  const dataset = fields.dataset === undefined ? undefined : parseIdentifier(fields.dataset, childPath(path, 'dataset'), QUALIFIED_IDENTIFIER_PATTERN);
  const column = parseIdentifier(fields.column, childPath(path, 'column'), QUALIFIED_IDENTIFIER_PATTERN);
  const operator = parseOperator(fields.operator, childPath(path, 'operator'));
  const values = parseValues(fields.values, operator, childPath(path, 'values'));
  return dataset === undefined ? { column, operator, values } : { dataset, column, operator, values };
}

function parseOperator(value: unknown, path: string): RclsOperator {
  if (value === undefined) fail(path, 'is required');
  if (typeof value !== 'string' || !(RCLS_OPERATORS as readonly string[]).includes(value)) {
    fail(path, `must be one of ${RCLS_OPERATORS.join(', ')}`);
  }
  return value as RclsOperator;
}

function parseValues(value: unknown, operator: RclsOperator, path: string): PolicyScalar[] {
  const [min, max] = VALUE_COUNTS[operator];
  if (max === 0) {
    if (value === undefined || (isPlainArray(value) && value.length === 0)) return [];
    fail(path, `must be absent or empty for ${operator}`);
  }
  if (value === undefined) fail(path, 'is required');
  if (!isPlainArray(value)) fail(path, 'must be an array of values');
  if (value.length < min || value.length > max) {
    const count = min === max ? `exactly ${min}` : `${min} to ${max}`;
    fail(path, `must hold ${count} value${max === 1 ? '' : 's'} for ${operator}`);
  }
  const values = arrayItems(value, path).map((item, i) => parseScalar(item, indexPath(path, i)));
  if (operator === 'between' && (typeof values[0] !== typeof values[1] || typeof values[0] === 'boolean')) {
    fail(path, 'must be two numbers or two strings for between');
  }
  return values;
}

function parseConnectionPolicy(value: unknown, path: string): ConnectionPolicy {
  if (!isPlainObject(value)) fail(path, 'must be a connection policy object');
  const fields = knownFields(value, path, CONNECTION_KEYS);
  const connectionId =
    fields.connectionId === undefined ? undefined : parseIdentifier(fields.connectionId, childPath(path, 'connectionId'), CONNECTION_ID_PATTERN);
  const params = parseConnectionParams(fields.params, childPath(path, 'params'));
  return connectionId === undefined ? { params } : { connectionId, params };
}

function parseConnectionParams(value: unknown, path: string): Record<string, PolicyScalar | null> {
  if (value === undefined) fail(path, 'is required');
  if (!isPlainObject(value)) fail(path, 'must be an object of named values');
  const entries = dataEntries(value, path);
  if (entries.length === 0) fail(path, 'must hold at least one parameter');
  if (entries.length > POLICY_LIMITS.maxConnectionParams) fail(path, `must hold at most ${POLICY_LIMITS.maxConnectionParams} parameters`);
  const params: Record<string, PolicyScalar | null> = {};
  for (const [name, item] of entries) {
    const at = childPath(path, name);
    if (RESERVED_KEYS.has(name)) fail(at, 'is a reserved name');
    if (!IDENTIFIER_PATTERN.test(name)) fail(at, `name must match ${IDENTIFIER_PATTERN.source}`);
    params[name] = item === null ? null : parseScalar(item, at);
  }
  return params;
}

function parseIdentifier(value: unknown, path: string, pattern: RegExp): string {
  if (value === undefined) fail(path, 'is required');
  if (typeof value !== 'string' || !pattern.test(value)) fail(path, `must be a string matching ${pattern.source}`);
  return value;
}

function parseScalar(value: unknown, path: string): PolicyScalar {
  if (typeof value === 'string') {
    if (exceedsLength(value, POLICY_LIMITS.maxStringLength)) fail(path, `must be at most ${POLICY_LIMITS.maxStringLength} characters`);
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(path, 'must be a finite number');
    return value === 0 ? 0 : value; // -0 is not JSON
  }
  if (typeof value === 'boolean') return value;
  fail(path, 'must be a string, a number or a boolean');
}

/**
 * `params` / `config`: free-form, but plain JSON, capped in size and depth. Walked iteratively in
 * document order (a key before its value, siblings left to right), so the first offence wins.
 */
function parseJsonObject(root: unknown, field: string): JsonObject {
  const { maxObjectBytes, maxObjectDepth, maxKeyLength } = POLICY_LIMITS;
  const tooBig = `must be at most ${maxObjectBytes} bytes of JSON`;
  if (!isPlainObject(root)) fail(field, 'must be a JSON object');
  const stack: Array<{ value: unknown; path: string; depth: number; key?: string }> = [{ value: root, path: field, depth: 1 }];
  // Every JSON value takes at least one byte, so more values than bytes allowed is too big,
  // whatever they are; this bounds the walk before anything is stringified.
  let visited = 0;
  while (stack.length > 0) {
    const { value, path, depth, key } = stack.pop()!;
    visited += 1;
    if (key !== undefined) {
      if (RESERVED_KEYS.has(key)) fail(path, 'is a reserved key');
      if (exceedsLength(key, maxKeyLength)) fail(path, `key must be at most ${maxKeyLength} characters`);
    }
    if (value === null || typeof value === 'string' || typeof value === 'boolean') continue;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) fail(path, 'must be a finite number');
      continue;
    }
    if (typeof value !== 'object') fail(path, 'must be a JSON value');
    if (depth > maxObjectDepth) fail(path, `must not nest deeper than ${maxObjectDepth} levels`);
    let children: Array<{ value: unknown; path: string; depth: number; key?: string }>;
    if (isPlainArray(value)) {
      if (visited + stack.length + value.length > maxObjectBytes) fail(field, tooBig);
      children = arrayItems(value, path).map((item, i) => ({ value: item, path: indexPath(path, i), depth: depth + 1 }));
    } else if (isPlainObject(value)) {
      const entries = dataEntries(value, path);
      if (visited + stack.length + entries.length > maxObjectBytes) fail(field, tooBig);
      children = entries.map(([name, item]) => ({ value: item, path: childPath(path, name), depth: depth + 1, key: name }));
    } else {
      fail(path, 'must be a plain JSON object or array');
    }
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i]);
  }
  // Safe now: depth is bounded, every value is JSON, there are no getters or toJSON functions.
  const json = JSON.stringify(root);
  if (Buffer.byteLength(json, 'utf8') > maxObjectBytes) fail(field, tooBig);
  return JSON.parse(json) as JsonObject;
}

/** The allowed fields of a rule or connection policy; any other key is an offence at that key. */
function knownFields(value: object, path: string, allowed: ReadonlySet<string>): Record<string, unknown> {
  const fields: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, item] of dataEntries(value, path)) {
    if (RESERVED_KEYS.has(key)) fail(childPath(path, key), 'is a reserved key');
    if (!allowed.has(key)) fail(childPath(path, key), `is not allowed (expected ${[...allowed].join(', ')})`);
    fields[key] = item;
  }
  return fields;
}

/** Own enumerable data properties with string keys; anything else cannot have come from JSON. */
function dataEntries(value: object, path: string): Array<[string, unknown]> {
  const entries: Array<[string, unknown]> = [];
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === 'symbol') fail(path, 'must be a plain JSON object');
    const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
    if (!('value' in descriptor) || !descriptor.enumerable) fail(childPath(path, key), 'must be a plain data property');
    entries.push([key, descriptor.value]);
  }
  return entries;
}

/** The items of a dense array without extra properties (no holes, no getters). */
function arrayItems(value: unknown[], path: string): unknown[] {
  const items: unknown[] = [];
  for (let i = 0; i < value.length; i += 1) {
    const descriptor = Object.getOwnPropertyDescriptor(value, i);
    if (descriptor === undefined || !('value' in descriptor)) fail(indexPath(path, i), 'must be a JSON value');
    items.push(descriptor.value);
  }
  if (Reflect.ownKeys(value).length !== value.length + 1) fail(path, 'must be a plain JSON array');
  return items;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isPlainArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype;
}

/** Counts code points, without spreading a long hostile string first. */
function exceedsLength(value: string, max: number): boolean {
  if (value.length <= max) return false;
  if (value.length > 2 * max) return true;
  return [...value].length > max;
}

/** `a.b` for plain names, `a["x y"]` otherwise; keys longer than any allowed key are cut. */
function childPath(path: string, key: string): string {
  if (key.length <= MAX_PATH_KEY_LENGTH && PATH_SEGMENT.test(key)) return path ? `${path}.${key}` : key;
  const shown = key.length > MAX_PATH_KEY_LENGTH ? `${key.slice(0, MAX_PATH_KEY_LENGTH)}…` : key;
  return `${path}[${JSON.stringify(shown)}]`;
}

function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}
