import { describe, expect, it } from 'vitest';
import { cronProblem } from '../../scripts/scf-cron';

describe("cronProblem: SCF's seven-field cron (SCF docs 583/9708)", () => {
  it.each([
    '0 30 9 * * * *',
    '*/5 * * * * * *',
    '0 15 10 1 * * *',
    '0 15 10 * * MON-FRI *',
    '0 0 10,14,16 * * * *',
    '0 */30 9-17 * * * *',
    '0 0 12 * * WED *',
    '0 1/10 * * JAN,JUL * 2026-2030',
    '59 59 23 31 12 6 2099',
  ])('takes %s, as documented', (cron) => {
    expect(cronProblem(cron)).toBeUndefined();
  });

  it.each([
    ['the legacy five fields', '30 1 * * *', 'it has 5 fields, not the seven of SCF\'s recommended syntax: second minute hour day month weekday year'],
    ['an hour past 23', '0 30 24 * * * *', 'the hour 24 is not 0 to 23'],
    ['a day 0', '0 0 0 0 * * *', 'the day 0 is not 1 to 31'],
    ['a weekday 7', '0 0 0 * * 7 *', 'the weekday 7 is not 0 to 6'],
    ['a year before 1970', '0 0 0 * * * 1969', 'the year 1969 is not 1970 to 2099'],
    ['a name of another field', '0 0 0 * MON * *', 'the month "MON" is not a number nor one of JAN FEB'],
    ['a lower-case name', '0 0 0 * * mon *', 'the weekday "mon" is not a number'],
    ['a "?", which SCF does not document', '0 0 0 ? * MON *', 'the day field\'s "?" is not a value, a range, * or an increment'],
    ['a range that runs backwards', '0 0 17-9 * * * *', 'the hour range 17-9 runs backwards'],
    ['an increment of 0', '*/0 * * * * * *', 'the second increment in */0 is not at least 1'],
    ['two spaces between fields', '0 30  9 * * * *', 'fields are separated by one space'],
    ['an empty item in a list', '0 0 1,,2 * * * *', 'the hour field\'s "" is not a value'],
  ])('refuses %s, saying why', (_name, cron, why) => {
    const problem = cronProblem(cron);
    expect(problem).toMatch(new RegExp(`^${JSON.stringify(cron).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not an SCF cron \\(SCF docs 583/9708\\): `));
    expect(problem).toContain(why);
  });
});
