import fc from 'fast-check';
import { ErrorCode } from '../common/errors/error-code';
import { parsePolicies, PolicyInput, PolicyScalar, policiesSize, RCLS_OPERATORS, RclsOperator, SecurityPolicies } from './policies';
import { InvalidSecurityPolicyError } from './policies.errors';

/*
 * Properties of parsePolicies, with arbitraries built from the rules of SPEC §4 (the patterns are
 * written out here again on purpose, so a change to the module's patterns has to be deliberate).
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const QUALIFIED_IDENTIFIER = /^([A-Za-z_][A-Za-z0-9_]{0,62}\.)?[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const CONNECTION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'];
const FIELDS = ['cls', 'rcls', 'sls', 'params', 'config'] as const;

type Json = unknown;
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// ---------------------------------------------------------------- valid policies

const identifier = fc.stringMatching(IDENTIFIER);
const paramName = identifier.filter((name) => !RESERVED_KEYS.includes(name));
const qualifiedIdentifier = fc.stringMatching(QUALIFIED_IDENTIFIER);
const connectionId = fc.stringMatching(CONNECTION_ID);

/** Up to 256 characters, counted in code points (the `binary` unit is one code point). */
const stringValue = fc.oneof(fc.string({ maxLength: 256 }), fc.string({ unit: 'binary', maxLength: 256 }), fc.string({ unit: 'binary', maxLength: 256, size: 'max' }));
const numberValue = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
const scalar: fc.Arbitrary<PolicyScalar> = fc.oneof(stringValue, numberValue, fc.boolean());

function valuesFor(operator: RclsOperator): fc.Arbitrary<PolicyScalar[] | undefined> {
  switch (operator) {
    case 'in':
    case 'not_in':
      return fc.array(scalar, { minLength: 1, maxLength: 100, size: 'max' });
    case 'between':
      return fc.oneof(fc.tuple(numberValue, numberValue), fc.tuple(stringValue, stringValue));
    case 'is_null':
    case 'not_null':
      return fc.constantFrom(undefined, []);
    default:
      return fc.tuple(scalar).map((values) => [...values]);
  }
}

/** Drops keys whose value is undefined, so "absent" really is absent. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

const rule = fc.oneof(
  ...RCLS_OPERATORS.map((operator) =>
    fc
      .record({ dataset: fc.option(qualifiedIdentifier, { nil: undefined }), column: qualifiedIdentifier, values: valuesFor(operator) })
      .map(({ dataset, column, values }) => compact({ dataset, column, operator, values })),
  ),
);
// `size: 'max'` so the limits themselves (50 rules, 100 values, 50 params) get generated too.
const rcls = fc.oneof(rule, fc.array(rule, { minLength: 1, maxLength: 50, size: 'max' }));

const connectionPolicy = fc
  .record({
    connectionId: fc.option(connectionId, { nil: undefined }),
    params: fc.dictionary(paramName, fc.option(scalar, { nil: null }), { minKeys: 1, maxKeys: 50, size: 'max' }),
  })
  .map(compact);
const cls = fc.oneof(connectionPolicy, fc.array(connectionPolicy, { minLength: 1, maxLength: 50, size: 'max' }));

const jsonKey = fc
  .oneof(fc.string({ maxLength: 128 }), fc.string({ unit: 'binary', maxLength: 128 }))
  .filter((key) => !RESERVED_KEYS.includes(key));
const jsonLeaf = fc.oneof(fc.string({ unit: 'binary', maxLength: 24 }), numberValue, fc.boolean(), fc.constant(null));
/** A JSON value whose containers take at most `levels` levels. */
function jsonValueWithin(levels: number): fc.Arbitrary<Json> {
  if (levels === 0) return jsonLeaf;
  const inner = jsonValueWithin(levels - 1);
  return fc.oneof(
    { weight: 3, arbitrary: jsonLeaf },
    { weight: 1, arbitrary: fc.array(inner, { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(jsonKey, inner, { maxKeys: 4 }) },
  );
}
const bytesOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');
/** The object is level 1, so its values may hold 4 more levels of containers. */
const jsonObject = fc.dictionary(jsonKey, jsonValueWithin(4), { maxKeys: 6 }).filter((value) => bytesOf(value) <= 4096);

const validInput = fc.record({ cls, rcls, sls: identifier, params: jsonObject, config: jsonObject }, { requiredKeys: [] });

/** What parsePolicies must return, derived from the rules rather than from its code. */
function normalized(input: Loose): SecurityPolicies {
  const list = (value: unknown): Loose[] => (Array.isArray(value) ? value : [value as Loose]);
  const plainNumber = <T>(value: T): T => (value === 0 ? (0 as T) : value);
  return compact({
    cls: input.cls === undefined ? undefined : list(input.cls).map((p) => compact({ connectionId: p.connectionId, params: Object.fromEntries(Object.entries(p.params).map(([k, v]) => [k, plainNumber(v)])) })),
    rcls: input.rcls === undefined ? undefined : list(input.rcls).map((r) => compact({ dataset: r.dataset, column: r.column, operator: r.operator, values: (r.values ?? []).map(plainNumber) })),
    sls: input.sls,
    params: input.params === undefined ? undefined : JSON.parse(JSON.stringify(input.params)),
    config: input.config === undefined ? undefined : JSON.parse(JSON.stringify(input.config)),
  }) as SecurityPolicies;
}

function offence(input: unknown): InvalidSecurityPolicyError {
  try {
    parsePolicies(input as PolicyInput);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSecurityPolicyError);
    expect((error as InvalidSecurityPolicyError).code).toBe(ErrorCode.INVALID_SECURITY_POLICY);
    return error as InvalidSecurityPolicyError;
  }
  throw new Error('expected an InvalidSecurityPolicyError');
}

/** The documented path format: `a.b` for plain names, `a["x y"]` otherwise. */
const keyPath = (path: string, key: string): string => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

describe('parsePolicies properties', () => {
  it('should accept every valid policy and return its normalized form, which parses to itself', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const policies = parsePolicies(input);
        expect(policies).toStrictEqual(normalized(input));
        expect(parsePolicies(policies)).toStrictEqual(policies);
        expect(JSON.parse(JSON.stringify(policies))).toStrictEqual(policies);
        expect(policiesSize(policies)).toBe(bytesOf(policies));
      }),
      { numRuns: 300 },
    );
  });

  describe('a valid policy with one identifier broken', () => {
    const SQL_FRAGMENTS = [
      'x; DROP TABLE users',
      'x;DROP TABLE users--',
      "' OR '1'='1",
      'a--',
      '--',
      "a'",
      'a"',
      'a b',
      'a/*',
      '*/',
      'a)',
      '(select 1)',
      '1=1',
      '`a`',
      '[a]',
      'a\\',
      'a%',
      'schema.table.col',
      'a..b',
      '.a',
      'a.',
      '9a',
      '',
      ' ',
      'a\n',
      'a\u0000',
      'a\u200b',
      'dаta', // Cyrillic а
      'ｓｅｌｅｃｔ', // fullwidth
      'ſelect',
      'a'.repeat(64),
      `${'a'.repeat(63)}.${'b'.repeat(64)}`,
      '-a',
      'a/b',
      ...RESERVED_KEYS,
    ];
    const brokenIdentifier = fc.oneof(
      fc.constantFrom(...SQL_FRAGMENTS),
      fc.string({ maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.stringMatching(/^[A-Za-z0-9_.;'" -]{1,80}$/),
    );

    interface Target {
      path: (bad: string) => string;
      accepts: (bad: string) => boolean;
      apply: (input: Loose, bad: string) => void;
    }

    /** Every identifier of the input, with how to break it and where the error must point. */
    function targetsOf(input: Loose): Target[] {
      const targets: Target[] = [];
      const entries = (field: 'cls' | 'rcls'): Array<[Loose, string]> =>
        Array.isArray(input[field]) ? input[field].map((item: Loose, i: number) => [item, `${field}[${i}]`]) : [[input[field], field]];
      targets.push({ path: () => 'sls', accepts: (bad) => IDENTIFIER.test(bad), apply: (copy, bad) => (copy.sls = bad) });
      entries('rcls').forEach(([, path], i) => {
        const at = (copy: Loose): Loose => (Array.isArray(copy.rcls) ? copy.rcls[i] : copy.rcls);
        for (const key of ['column', 'dataset']) {
          targets.push({ path: () => `${path}.${key}`, accepts: (bad) => QUALIFIED_IDENTIFIER.test(bad), apply: (copy, bad) => (at(copy)[key] = bad) });
        }
      });
      entries('cls').forEach(([policy, path], i) => {
        const at = (copy: Loose): Loose => (Array.isArray(copy.cls) ? copy.cls[i] : copy.cls);
        targets.push({ path: () => `${path}.connectionId`, accepts: (bad) => CONNECTION_ID.test(bad), apply: (copy, bad) => (at(copy).connectionId = bad) });
        for (const name of Object.keys(policy.params)) {
          targets.push({
            path: (bad) => keyPath(`${path}.params`, bad),
            accepts: (bad) => IDENTIFIER.test(bad) && !RESERVED_KEYS.includes(bad),
            // Object.fromEntries defines `__proto__` as an own key, as JSON.parse does.
            apply: (copy, bad) => {
              at(copy).params = Object.fromEntries(Object.entries(at(copy).params).map(([k, v]) => [k === name ? bad : k, v]));
            },
          });
        }
      });
      return targets;
    }

    it('should always be rejected with INVALID_SECURITY_POLICY at the broken field', () => {
      const input = fc.record({ cls, rcls, sls: identifier, params: jsonObject }, { requiredKeys: ['cls', 'rcls', 'sls'] });
      fc.assert(
        fc.property(input, fc.nat(), brokenIdentifier, (valid, pick, bad) => {
          const targets = targetsOf(valid);
          const target = targets[pick % targets.length];
          fc.pre(!target.accepts(bad));
          const copy = JSON.parse(JSON.stringify(valid)) as Loose;
          target.apply(copy, bad);
          const error = offence(copy);
          expect(error.path).toBe(target.path(bad));
          expect(error.details).toEqual([{ field: target.path(bad), message: error.reason }]);
        }),
        { numRuns: 300 },
      );
    });
  });

  it('should always reject more than 50 rules or connection policies at the list', () => {
    fc.assert(
      fc.property(fc.array(rule, { minLength: 51, maxLength: 150 }), (rules) => {
        expect(offence({ rcls: rules }).path).toBe('rcls');
      }),
      { numRuns: 50 },
    );
    fc.assert(
      fc.property(fc.array(fc.anything(), { minLength: 51, maxLength: 150 }), (items) => {
        expect(offence({ rcls: items }).path).toBe('rcls');
        expect(offence({ cls: items }).path).toBe('cls');
      }),
      { numRuns: 50 },
    );
  });

  describe('params and config', () => {
    const field = fc.constantFrom('params' as const, 'config' as const);
    const simpleKey = fc.stringMatching(/^[a-z]{1,8}$/);

    it('should always reject nesting deeper than 5 levels at the first too-deep container', () => {
      // A chain of 5..40 containers hung under a fresh key of a valid object: the chain's 5th
      // container sits at level 6.
      const chain = fc.array(fc.option(simpleKey, { nil: undefined }), { minLength: 5, maxLength: 40 });
      fc.assert(
        fc.property(field, jsonObject, simpleKey, chain, (name, base, key, links) => {
          let deep: unknown = links[links.length - 1] === undefined ? [] : {};
          for (let i = links.length - 2; i >= 0; i -= 1) deep = links[i] === undefined ? [deep] : { [links[i] as string]: deep };
          const value = { ...base, [`deep_${key}`]: deep };
          // Segments of levels 2..6: the key, then the first four links of the chain.
          let expected = keyPath(name, `deep_${key}`);
          for (const link of links.slice(0, 4)) expected = link === undefined ? `${expected}[0]` : keyPath(expected, link);
          expect(offence({ [name]: value }).path).toBe(expected);
        }),
        { numRuns: 200 },
      );
    });

    it('should always reject more than 4096 bytes of JSON at the field', () => {
      const padding = fc.string({ unit: 'binary', minLength: 1, maxLength: 600 });
      fc.assert(
        fc.property(field, jsonObject, padding, (name, base, piece) => {
          const value: Loose = { ...base, pad: '' };
          while (bytesOf(value) <= 4096) value.pad += piece;
          expect(offence({ [name]: value }).path).toBe(name);
        }),
        { numRuns: 100 },
      );
      fc.assert(
        fc.property(field, jsonObject, fc.integer({ min: 2049, max: 20_000 }), (name, base, count) => {
          expect(offence({ [name]: { ...base, list: new Array<number>(count).fill(0) } }).path).toBe(name);
        }),
        { numRuns: 50 },
      );
    });
  });

  describe('hostile input', () => {
    /** Fails the property on anything thrown but InvalidSecurityPolicyError; checks what comes back. */
    function parsesOrRejects(input: unknown): void {
      let policies: SecurityPolicies;
      try {
        policies = parsePolicies(input as PolicyInput);
      } catch (error) {
        if (!(error instanceof InvalidSecurityPolicyError)) throw error;
        expect(error.code).toBe(ErrorCode.INVALID_SECURITY_POLICY);
        expect(error.status).toBe(422);
        expect(error.path === '' || FIELDS.some((f) => error.path === f || error.path.startsWith(`${f}.`) || error.path.startsWith(`${f}[`))).toBe(true);
        return;
      }
      expect(JSON.parse(JSON.stringify(policies))).toStrictEqual(policies);
      expect(parsePolicies(policies)).toStrictEqual(policies);
    }

    const anything = fc.anything({
      maxDepth: 6,
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      stringUnit: 'binary',
    });
    const inFields = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<Partial<Record<(typeof FIELDS)[number], T>>> =>
      fc.record({ cls: arb, rcls: arb, sls: arb, params: arb, config: arb }, { requiredKeys: [] });
    const nearRule = fc.record(
      { dataset: fc.oneof(qualifiedIdentifier, anything), column: fc.oneof(qualifiedIdentifier, anything), operator: fc.oneof(fc.constantFrom(...RCLS_OPERATORS), anything), values: fc.oneof(fc.array(scalar, { maxLength: 3 }), anything), extra: anything },
      { requiredKeys: [] },
    );
    const nearConnection = fc.record(
      { connectionId: fc.oneof(connectionId, anything), params: fc.oneof(fc.dictionary(fc.oneof(paramName, fc.string()), fc.oneof(scalar, anything), { maxKeys: 4 }), anything), extra: anything },
      { requiredKeys: [] },
    );

    it('should only ever throw InvalidSecurityPolicyError on fc.anything() and fc.jsonValue()', () => {
      fc.assert(fc.property(anything, parsesOrRejects), { numRuns: 300 });
      fc.assert(fc.property(inFields(anything), parsesOrRejects), { numRuns: 500 });
      fc.assert(fc.property(inFields(fc.jsonValue()), parsesOrRejects), { numRuns: 500 });
      fc.assert(fc.property(fc.jsonValue(), parsesOrRejects), { numRuns: 200 });
    });

    it('should only ever throw InvalidSecurityPolicyError on almost-valid rules and connection policies', () => {
      const input = fc.record({ rcls: fc.oneof(nearRule, fc.array(nearRule, { maxLength: 4 })), cls: fc.oneof(nearConnection, fc.array(nearConnection, { maxLength: 4 })) }, { requiredKeys: [] });
      fc.assert(fc.property(input, parsesOrRejects), { numRuns: 500 });
    });

    it('should reject 10,000 levels of nesting anywhere without overflowing the stack', () => {
      let deepArray: unknown = [];
      let deepObject: unknown = {};
      for (let i = 0; i < 10_000; i += 1) {
        deepArray = [deepArray];
        deepObject = { a: deepObject };
      }
      for (const deep of [deepArray, deepObject]) {
        parsesOrRejects(deep);
        for (const f of FIELDS) {
          parsesOrRejects({ [f]: deep });
          parsesOrRejects({ [f]: { x: deep } });
        }
        parsesOrRejects({ rcls: { column: 'a', operator: 'in', values: [deep] } });
        parsesOrRejects({ cls: { params: { a: deep } } });
      }
      expect(offence({ config: { x: deepArray } }).path).toBe('config.x[0][0][0][0]');
      expect(offence({ params: deepObject }).path).toBe('params.a.a.a.a.a');
      expect(offence({ rcls: deepArray }).path).toBe('rcls[0]');
      expect(offence({ rcls: { column: 'a', operator: 'in', values: [deepArray] } }).path).toBe('rcls.values[0]');
    });
  });
});
