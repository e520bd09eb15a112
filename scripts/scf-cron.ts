/*
 * The cron of an SCF timer trigger, in the syntax SCF documents and recommends (SCF docs
 * 583/9708, "Cron expression syntax 1"): seven fields, second minute hour day month weekday year,
 * each a list of values, ranges, "*" and increments ("/"). Checked by deploy before it sends the
 * cron (CreateTrigger's TriggerDesc, 583/39901) and by the local SCF API, as the API checks it.
 * Anything the page does not document (the legacy five fields, "?", "L", lower-case names) is
 * refused rather than guessed at.
 */

interface Field {
  name: string;
  min: number;
  max: number;
  /** Names in the order of their values from `min`. */
  names?: string[];
}

const FIELDS: Field[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'weekday', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
  { name: 'year', min: 1970, max: 2099 },
];

/** `*`, a value or a range, then an optional increment. */
const ITEM = /^(?:(\*)|(\w+)(?:-(\w+))?)(?:\/(\d+))?$/;

/** A value of a field, given as a number or a name, or what is wrong with it. */
function valueOf(text: string, field: Field): number | string {
  const named = field.names?.indexOf(text) ?? -1;
  const value = named >= 0 ? field.min + named : /^\d+$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(value)) return `the ${field.name} ${JSON.stringify(text)} is not a number${field.names ? ` nor one of ${field.names.join(' ')}` : ''}`;
  if (value < field.min || value > field.max) return `the ${field.name} ${text} is not ${field.min} to ${field.max}`;
  return value;
}

function itemProblem(item: string, field: Field): string | undefined {
  const match = ITEM.exec(item);
  if (!match) return `the ${field.name} field's ${JSON.stringify(item)} is not a value, a range, * or an increment (,-*/)`;
  const [, , from, to, step] = match;
  const values = [from, to].filter((v): v is string => v !== undefined).map((v) => valueOf(v, field));
  const problem = values.find((v): v is string => typeof v === 'string');
  if (problem) return problem;
  if (values.length === 2 && (values[0] as number) > (values[1] as number)) return `the ${field.name} range ${item} runs backwards`;
  if (step !== undefined && Number(step) < 1) return `the ${field.name} increment in ${item} is not at least 1`;
  return undefined;
}

/** Why SCF would refuse this cron, or undefined when it is one of its seven-field crons. */
export function cronProblem(cron: string): string | undefined {
  const fields = cron.split(' ');
  const problem = fields.includes('')
    ? 'its fields are separated by one space'
    : fields.length !== FIELDS.length
      ? `it has ${fields.length} fields, not the seven of SCF's recommended syntax: second minute hour day month weekday year`
      : fields.flatMap((text, i) => text.split(',').map((item) => itemProblem(item, FIELDS[i]!))).find((p) => p !== undefined);
  return problem && `${JSON.stringify(cron)} is not an SCF cron (SCF docs 583/9708): ${problem}`;
}
