import { ErrorCode } from '../common/errors/error-code';
import { parsePolicies, PolicyInput, policiesSize, RCLS_OPERATORS } from './policies';
import { InvalidSecurityPolicyError } from './policies.errors';

/** Runs parsePolicies expecting a rejection; returns the error for path assertions. */
function offence(input: unknown): InvalidSecurityPolicyError {
  try {
    parsePolicies(input as PolicyInput);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSecurityPolicyError);
    return error as InvalidSecurityPolicyError;
  }
  throw new Error('expected an InvalidSecurityPolicyError');
}

const pathOf = (input: unknown): string => offence(input).path;

const rule = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  column: 'region',
  operator: 'eq',
  values: ['EU'],
  ...overrides,
});
const rules = (count: number): Array<Record<string, unknown>> => Array.from({ length: count }, (_, i) => rule({ column: `c${i}` }));
/** An object nested `levels` deep along keys a, b, c, …; `{}` itself is level 1. */
function nested(levels: number, leaf: unknown = {}): Record<string, unknown> {
  let value: unknown = leaf;
  for (let i = levels - 1; i >= 1; i -= 1) value = { [String.fromCharCode(96 + i)]: value };
  return value as Record<string, unknown>;
}

describe('parsePolicies', () => {
  describe('valid policies', () => {
    it('should turn a single rcls rule (the seed shape) into a list of one', () => {
      const policies = parsePolicies({ rcls: { dataset: 'sales.orders', column: 'region', operator: 'in', values: ['EU', 'US'] } });
      expect(policies).toStrictEqual({ rcls: [{ dataset: 'sales.orders', column: 'region', operator: 'in', values: ['EU', 'US'] }] });
    });

    it('should keep a list of rules in order, with every operator', () => {
      const input = [
        { column: 'a', operator: 'eq', values: ['x'] },
        { column: 'a', operator: 'neq', values: [1] },
        { column: 'public.a', operator: 'in', values: Array.from({ length: 100 }, (_, i) => i) },
        { column: 'a', operator: 'not_in', values: [true] },
        { column: 'a', operator: 'gt', values: [1.5] },
        { column: 'a', operator: 'gte', values: ['2024-01-01'] },
        { column: 'a', operator: 'lt', values: [-3] },
        { column: 'a', operator: 'lte', values: [0] },
        { column: 'a', operator: 'between', values: [1, 9] },
        { column: 'a', operator: 'between', values: ['a', 'm'] },
        { dataset: 'orders', column: 'deleted_at', operator: 'is_null', values: [] },
        { column: '_A9', operator: 'not_null', values: [] },
      ];
      expect(parsePolicies({ rcls: input })).toStrictEqual({ rcls: input });
    });

    it('should normalize absent values of is_null / not_null to []', () => {
      const policies = parsePolicies({ rcls: [{ column: 'a', operator: 'is_null' }, { column: 'b', operator: 'not_null' }] });
      expect(policies.rcls).toStrictEqual([
        { column: 'a', operator: 'is_null', values: [] },
        { column: 'b', operator: 'not_null', values: [] },
      ]);
    });

    it('should accept identifiers at the length limit and a 256-character (code point) string value', () => {
      const name = `_${'a'.repeat(62)}`;
      const emoji = '😀'.repeat(256); // 512 UTF-16 units, 256 characters
      const policies = parsePolicies({ rcls: { dataset: `${name}.${name}`, column: name, operator: 'eq', values: [emoji] }, sls: name });
      expect(policies.rcls?.[0]).toStrictEqual({ dataset: `${name}.${name}`, column: name, operator: 'eq', values: [emoji] });
      expect(policies.sls).toBe(name);
    });

    it('should turn a single cls policy into a list of one and keep a list as is', () => {
      expect(parsePolicies({ cls: { connectionId: 'conn_1', params: { region: 'EU' } } })).toStrictEqual({
        cls: [{ connectionId: 'conn_1', params: { region: 'EU' } }],
      });
      const list = [{ params: { tenant: 42, active: true, note: null } }, { connectionId: 'a.b:c-d_9', params: { x: 'y' } }];
      expect(parsePolicies({ cls: list })).toStrictEqual({ cls: list });
    });

    it('should accept sls as one schema identifier', () => {
      expect(parsePolicies({ sls: 'tenant_42' })).toStrictEqual({ sls: 'tenant_42' });
    });

    it('should accept params and config up to depth 5 and exactly 4096 bytes', () => {
      const deep = nested(5, { n: 1, s: 'two', z: null, f: false }); // level 5 holds only scalars
      const atLimit = { pad: '' };
      atLimit.pad = 'x'.repeat(4096 - JSON.stringify(atLimit).length);
      expect(JSON.stringify(atLimit)).toHaveLength(4096);
      expect(parsePolicies({ params: atLimit, config: { theme: 'dark', ...deep } })).toStrictEqual({
        params: atLimit,
        config: { theme: 'dark', ...deep },
      });
    });

    it('should accept null-prototype objects and return plain copies that share nothing with the input', () => {
      const params = Object.assign(Object.create(null) as Record<string, unknown>, { list: [1, 2], obj: { a: 1 } });
      const rcls = [rule()];
      const policies = parsePolicies({ params, rcls });
      expect(Object.getPrototypeOf(policies.params)).toBe(Object.prototype);
      (params.list as number[]).push(3);
      (rcls[0].values as string[]).push('US');
      expect(policies.params).toStrictEqual({ list: [1, 2], obj: { a: 1 } });
      expect(policies.rcls?.[0].values).toStrictEqual(['EU']);
    });

    it('should turn -0 into 0, as JSON would', () => {
      const policies = parsePolicies({ rcls: rule({ values: [-0] }), params: { n: -0 } });
      expect(Object.is(policies.rcls?.[0].values[0], 0)).toBe(true);
      expect(Object.is(policies.params?.n, 0)).toBe(true);
    });

    it('should leave absent fields absent and ignore the caller’s other fields (a DTO instance is fine)', () => {
      class GenerateTokenDto {
        dashboardId = 'd1';
        rcls?: unknown = undefined;
        sls?: unknown = 'tenant_a';
      }
      expect(parsePolicies(new GenerateTokenDto())).toStrictEqual({ sls: 'tenant_a' });
      expect(Object.keys(parsePolicies({}))).toEqual([]);
    });
  });

  describe('policiesSize', () => {
    it('should count the UTF-8 bytes of the JSON', () => {
      const policies = parsePolicies({ sls: 's', config: { title: 'é€😀' } });
      expect(policiesSize(policies)).toBe(Buffer.byteLength(JSON.stringify(policies), 'utf8'));
      expect(policiesSize(policies)).toBe(JSON.stringify(policies).length + 1 + 2 + 2);
    });
  });

  describe('the error', () => {
    it('should carry code INVALID_SECURITY_POLICY, status 422, the path and a reason that does not echo the value', () => {
      const error = offence({ rcls: [rule(), rule(), rule({ column: 'x; DROP TABLE users' })] });
      expect(error.code).toBe(ErrorCode.INVALID_SECURITY_POLICY);
      expect(error.status).toBe(422);
      expect(error.path).toBe('rcls[2].column');
      expect(error.message).toBe(`Invalid security policy at rcls[2].column: ${error.reason}`);
      expect(error.details).toEqual([{ field: 'rcls[2].column', message: error.reason }]);
      expect(error.message).not.toContain('DROP');
    });

    it('should name the whole input when it is not an object', () => {
      for (const input of [null, undefined, 'rcls', 42, [rule()]]) {
        const error = offence(input);
        expect(error.path).toBe('');
        expect(error.message).toBe(`Invalid security policy: ${error.reason}`);
      }
    });

    it('should report the first offence only', () => {
      expect(pathOf({ rcls: [rule(), rule({ column: 'a b' }), rule({ operator: 'like' })] })).toBe('rcls[1].column');
      expect(pathOf({ rcls: rule({ operator: 'like' }), cls: { params: {} } })).toBe('cls.params');
      // In free-form objects, document order: a key before its value, earlier siblings first.
      expect(pathOf({ config: { a: { b: Number.NaN }, ['k'.repeat(129)]: 1 } })).toBe('config.a.b');
    });
  });

  describe('null is an offence, not an absence', () => {
    it.each(['cls', 'rcls', 'sls', 'params', 'config'])('should reject %s: null at %s', (field) => {
      expect(pathOf({ [field]: null })).toBe(field);
    });
  });

  describe('rcls offences', () => {
    it('should reject an empty list, more than 50 rules and a non-rule at rcls', () => {
      expect(pathOf({ rcls: [] })).toBe('rcls');
      expect(pathOf({ rcls: rules(51) })).toBe('rcls');
      expect(parsePolicies({ rcls: rules(50) }).rcls).toHaveLength(50);
      expect(pathOf({ rcls: 'region = 1' })).toBe('rcls');
      expect(pathOf({ rcls: 7 })).toBe('rcls');
    });

    it('should reject a list item that is not a plain rule object at its index', () => {
      class Rule {
        column = 'a';
        operator = 'eq';
        values = [1];
      }
      expect(pathOf({ rcls: [rule(), [rule()]] })).toBe('rcls[1]');
      expect(pathOf({ rcls: [rule(), 'a = 1'] })).toBe('rcls[1]');
      expect(pathOf({ rcls: [rule(), null] })).toBe('rcls[1]');
      expect(pathOf({ rcls: [new Rule()] })).toBe('rcls[0]');
      expect(pathOf({ rcls: new Rule() })).toBe('rcls');
    });

    it('should reject an unknown key at that key, in the list and the single form', () => {
      expect(pathOf({ rcls: [rule(), rule({ table: 'x' })] })).toBe('rcls[1].table');
      expect(pathOf({ rcls: rule({ sql: 'region = 1' }) })).toBe('rcls.sql');
      expect(pathOf({ rcls: rule({ 'a b': 1 }) })).toBe('rcls["a b"]');
    });

    it('should reject __proto__, constructor and prototype keys', () => {
      expect(pathOf(JSON.parse('{"rcls":{"column":"a","operator":"eq","values":[1],"__proto__":{"x":1}}}'))).toBe('rcls.__proto__');
      expect(pathOf({ rcls: [rule({ constructor: 'x' })] })).toBe('rcls[0].constructor');
      expect(pathOf({ rcls: [rule({ prototype: {} })] })).toBe('rcls[0].prototype');
    });

    it('should reject a missing or non-string column', () => {
      expect(pathOf({ rcls: [{ operator: 'eq', values: [1] }] })).toBe('rcls[0].column');
      expect(pathOf({ rcls: [rule({ column: 5 })] })).toBe('rcls[0].column');
      expect(pathOf({ rcls: [rule({ column: ['a'] })] })).toBe('rcls[0].column');
    });

    const notIdentifiers = [
      'a; DROP TABLE x',
      'a--',
      "a'",
      'a"',
      'a b',
      'a/*x*/',
      'a)',
      '`a`',
      '[a]',
      'schema.table.col',
      '.col',
      'col.',
      '1col',
      '',
      'a'.repeat(64),
      'col\n',
      '\tcol',
      'dаta', // Cyrillic а
      'ｃｏｌ', // fullwidth
      'ſelect', // long s, which /i regexes fold to s
      'col\u0000',
      'col\u200b', // zero-width space
      'é',
    ];

    it.each(notIdentifiers)('should reject the column %j', (column) => {
      expect(pathOf({ rcls: [rule(), rule(), rule({ column })] })).toBe('rcls[2].column');
    });

    it.each(notIdentifiers)('should reject the dataset %j', (dataset) => {
      expect(pathOf({ rcls: rule({ dataset }) })).toBe('rcls.dataset');
    });

    it('should reject an operator that is not one of the list, exactly and in lower case', () => {
      for (const operator of ['EQ', 'Eq', 'like', '=', 'eq ', 'is null', '', 1, null, ['eq']]) {
        expect(pathOf({ rcls: [rule({ operator })] })).toBe('rcls[0].operator');
      }
      expect(pathOf({ rcls: [{ column: 'a', values: [1] }] })).toBe('rcls[0].operator');
    });

    it('should reject a values count the operator does not take at rcls[i].values', () => {
      const cases: Array<[string, unknown]> = [
        ['eq', [1, 2]],
        ['neq', []],
        ['gt', [1, 2]],
        ['lte', []],
        ['in', []],
        ['not_in', Array.from({ length: 101 }, (_, i) => i)],
        ['between', [1]],
        ['between', [1, 2, 3]],
        ['is_null', [1]],
        ['not_null', [null]],
      ];
      for (const [operator, values] of cases) {
        expect(pathOf({ rcls: [rule(), rule(), rule({ operator, values })] })).toBe('rcls[2].values');
      }
    });

    it('should reject missing or non-array values', () => {
      expect(pathOf({ rcls: [{ column: 'a', operator: 'eq' }] })).toBe('rcls[0].values');
      expect(pathOf({ rcls: [rule({ values: 'EU' })] })).toBe('rcls[0].values');
      expect(pathOf({ rcls: [rule({ values: { 0: 'EU' } })] })).toBe('rcls[0].values');
      expect(pathOf({ rcls: [rule({ operator: 'is_null', values: null })] })).toBe('rcls[0].values');
    });

    it('should reject between with mixed or boolean bounds', () => {
      expect(pathOf({ rcls: rule({ operator: 'between', values: [1, 'z'] }) })).toBe('rcls.values');
      expect(pathOf({ rcls: rule({ operator: 'between', values: [true, false] }) })).toBe('rcls.values');
    });

    it('should reject a value that is not a scalar at its index', () => {
      const bad: unknown[] = [null, undefined, { a: 1 }, ['x'], Number.NaN, Number.POSITIVE_INFINITY, 10n, 'x'.repeat(257), '😀'.repeat(257), new Date()];
      for (const value of bad) {
        expect(pathOf({ rcls: [rule({ operator: 'in', values: ['ok', value] })] })).toBe('rcls[0].values[1]');
      }
    });

    it('should reject a hole in a sparse values array', () => {
      expect(pathOf({ rcls: [rule({ operator: 'in', values: ['a', , 'c'] })] })).toBe('rcls[0].values[1]');
    });

    it('should reject a getter instead of a value', () => {
      const sneaky = { operator: 'eq', values: [1], get column(): string { throw new Error('must not be called'); } };
      expect(pathOf({ rcls: sneaky })).toBe('rcls.column');
    });
  });

  describe('cls offences', () => {
    it('should reject an empty list, more than 50 policies and a non-object', () => {
      expect(pathOf({ cls: [] })).toBe('cls');
      expect(pathOf({ cls: Array.from({ length: 51 }, () => ({ params: { a: 1 } })) })).toBe('cls');
      expect(pathOf({ cls: 'region=EU' })).toBe('cls');
      expect(pathOf({ cls: [{ params: { a: 1 } }, 3] })).toBe('cls[1]');
    });

    it('should reject unknown keys and a bad connectionId', () => {
      expect(pathOf({ cls: [{ params: { a: 1 }, user: 'x' }] })).toBe('cls[0].user');
      for (const connectionId of ['', '-a', 'a b', 'a;b', 'a/b', 'x'.repeat(129), 7]) {
        expect(pathOf({ cls: [{ connectionId, params: { a: 1 } }] })).toBe('cls[0].connectionId');
      }
    });

    it('should reject missing, empty or oversized params', () => {
      expect(pathOf({ cls: { connectionId: 'c' } })).toBe('cls.params');
      expect(pathOf({ cls: [{ params: {} }] })).toBe('cls[0].params');
      expect(pathOf({ cls: [{ params: [1] }] })).toBe('cls[0].params');
      const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`p${i}`, i]));
      expect(pathOf({ cls: [{ params: many }] })).toBe('cls[0].params');
    });

    it('should reject a parameter name that is not an identifier, or reserved', () => {
      expect(pathOf({ cls: [{ params: { ok: 1, 'a b': 1 } }] })).toBe('cls[0].params["a b"]');
      expect(pathOf({ cls: [{ params: { 'a.b': 1 } }] })).toBe('cls[0].params["a.b"]');
      expect(pathOf({ cls: [{ params: { "x'; --": 1 } }] })).toBe(`cls[0].params["x'; --"]`);
      expect(pathOf({ cls: [{ params: { constructor: 1 } }] })).toBe('cls[0].params.constructor');
      expect(pathOf(JSON.parse('{"cls":{"params":{"__proto__":1}}}'))).toBe('cls.params.__proto__');
    });

    it('should reject a parameter value that is not a scalar or null', () => {
      for (const region of [{ a: 1 }, ['EU'], 'x'.repeat(257), Number.NaN, undefined]) {
        expect(pathOf({ cls: [{ params: { tenant: 1, region } }] })).toBe('cls[0].params.region');
      }
    });
  });

  describe('sls offences', () => {
    it('should reject anything but one schema identifier', () => {
      for (const sls of ['public; DROP SCHEMA x', 'a.b', '', 'a-b', 7, ['a'], { name: 'a' }]) {
        expect(pathOf({ sls })).toBe('sls');
      }
    });
  });

  describe('params and config offences', () => {
    it('should reject non-objects', () => {
      for (const value of [[], [1], 'x', 3, true, new Date(), new Map()]) {
        expect(pathOf({ params: value })).toBe('params');
        expect(pathOf({ config: value })).toBe('config');
      }
    });

    it('should reject an object nested deeper than 5 levels at the first too-deep value', () => {
      expect(pathOf({ config: nested(6) })).toBe('config.a.b.c.d.e');
      expect(pathOf({ config: { a: [[[[[1]]]]] } })).toBe('config.a[0][0][0][0]');
      expect(parsePolicies({ config: { a: [[[[1]]]] } }).config).toEqual({ a: [[[[1]]]] });
    });

    it('should reject more than 4096 bytes at the field, counting UTF-8 bytes', () => {
      const over = { pad: '' };
      over.pad = 'x'.repeat(4097 - JSON.stringify(over).length);
      expect(pathOf({ params: over })).toBe('params');
      expect(pathOf({ config: { pad: 'é'.repeat(2100) } })).toBe('config'); // 2,100 characters, 4,200+ bytes
      expect(pathOf({ config: { list: Array.from({ length: 5000 }, () => 0) } })).toBe('config');
      expect(pathOf({ config: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 0])) })).toBe('config');
    });

    it('should reject a key longer than 128 characters, and reserved keys at any depth', () => {
      expect(pathOf({ config: { ['k'.repeat(129)]: 1 } })).toBe(`config["${'k'.repeat(128)}…"]`);
      expect(parsePolicies({ config: { ['k'.repeat(128)]: 1 } }).config).toEqual({ ['k'.repeat(128)]: 1 });
      expect(pathOf(JSON.parse('{"params":{"__proto__":{"isAdmin":true}}}'))).toBe('params.__proto__');
      expect(pathOf({ config: { a: { constructor: { prototype: 1 } } } })).toBe('config.a.constructor');
      expect(pathOf({ config: { a: [{ prototype: 1 }] } })).toBe('config.a[0].prototype');
    });

    it('should reject values JSON cannot carry', () => {
      class Theme {
        dark = true;
      }
      const cases: Array<[unknown, string]> = [
        [undefined, 'config.v'],
        [() => 1, 'config.v'],
        [10n, 'config.v'],
        [Symbol('s'), 'config.v'],
        [Number.NaN, 'config.v'],
        [Number.NEGATIVE_INFINITY, 'config.v'],
        [new Date(), 'config.v'],
        [new Map([['a', 1]]), 'config.v'],
        [new Theme(), 'config.v'],
        [{ toJSON: () => ({}) }, 'config.v.toJSON'],
      ];
      for (const [v, path] of cases) expect(pathOf({ config: { v } })).toBe(path);
    });

    it('should reject getters, symbol keys, non-enumerable properties and decorated arrays', () => {
      const getter = Object.defineProperty({}, 'g', { get: () => 1, enumerable: true });
      expect(pathOf({ config: getter })).toBe('config.g');
      expect(pathOf({ config: { [Symbol('s')]: 1 } })).toBe('config');
      expect(pathOf({ config: Object.defineProperty({}, 'hidden', { value: 1, enumerable: false }) })).toBe('config.hidden');
      expect(pathOf({ config: { list: Object.assign([1, 2], { extra: 3 }) } })).toBe('config.list');
    });
  });

  it('should know every operator it documents', () => {
    expect([...RCLS_OPERATORS]).toEqual(['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'is_null', 'not_null']);
  });
});
