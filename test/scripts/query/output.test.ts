import { describe, expect, it } from 'vitest';
import { table } from '../../../scripts/query/output';

describe('table', () => {
  it('aligns the columns, shows NULL and nested values as JSON on one line, cuts long cells, counts the rows', () => {
    const text = table(['id', 'value'], [['1', null], ['22', { a: [1, 2] }], ['3', 'line\nbreak'], ['4', 'x'.repeat(20)]], 10);
    expect(text.split('\n')).toEqual([
      'id │ value',
      '───┼───────────',
      '1  │ NULL',
      '22 │ {"a":[1,2…',
      '3  │ line break',
      `4  │ ${'x'.repeat(9)}…`,
      '(4 rows)',
    ]);
  });

  it('says when there is no row', () => {
    expect(table(['n'], [])).toBe('n\n─\n(0 rows)');
  });
});
