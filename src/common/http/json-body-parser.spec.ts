import { checkJsonShape } from './json-body-parser';

describe('checkJsonShape', () => {
  it('should accept ordinary bodies', () => {
    expect(checkJsonShape({ a: [1, 2, { b: 'c' }], d: null })).toBeUndefined();
    expect(checkJsonShape('text')).toBeUndefined();
  });

  it('should refuse nesting deeper than the limit, objects and arrays alike', () => {
    const deep = (n: number): unknown => {
      let value: unknown = 1;
      for (let i = 0; i < n; i += 1) value = i % 2 ? [value] : { a: value };
      return value;
    };
    expect(checkJsonShape(deep(32))).toBeUndefined();
    expect(checkJsonShape(deep(33))).toMatch(/nested deeper than 32/);
    expect(checkJsonShape(deep(100_000))).toMatch(/nested deeper/);
  });

  it('should refuse too many values', () => {
    expect(checkJsonShape(Array.from({ length: 9_000 }, () => 0))).toBeUndefined();
    expect(checkJsonShape(Array.from({ length: 10_001 }, () => 0))).toMatch(/more than 10000 values/);
  });
});
