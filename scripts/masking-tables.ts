import { NAME_FAMILIES } from '../src/mask/names';
import { ENTRIES } from '../src/mask/registry';
import type { Source } from '../src/mask/rule';

/*
 * The tables of docs/masking.md, written from the masking registry (src/mask/registry.ts and the
 * names of src/mask/names.ts): each rule, each family of names, their examples and their sources.
 * `npm run schema` writes them between the page's markers; a test fails when the page differs.
 */

export const BEGIN = '<!-- The tables below are written by `npm run schema` from src/mask/: do not edit them by hand. -->';
export const END = '<!-- End of the tables written by `npm run schema`. -->';

/** Text as a Markdown table's cell shows it: a "|" escaped, each line end written as "<br>". */
const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', '<br>');
/** An example, shown as a JavaScript string would write it: escapes visible, in code. */
const shown = (text: string) => {
  const json = JSON.stringify(text).replaceAll('|', '\\|');
  return json.includes('`') ? `\`\` ${json} \`\`` : `\`${json}\``;
};
const cited = (sources: Source[]) => sources.map((s) => `[${cell(s.title)}](${s.url})`).join('<br>');

function rulesTable(): string {
  const rows = ENTRIES.map((entry) => `| ${entry.name} | ${cell(entry.finds)} | ${cited(entry.sources)} |`);
  return ['| rule | what it finds and masks | source |', '| --- | --- | --- |', ...rows].join('\n');
}

function namesTable(): string {
  const rows = NAME_FAMILIES.map((family) => {
    const names = [...family.parts.map((n) => `\`${n.replaceAll('.?', '_')}\``), ...family.whole.map((n) => `\`${n.replaceAll('.?', '_')}\` (whole)`)];
    return `| ${names.join(', ')} | ${cell(family.what)} | ${cited(family.sources)} |`;
  });
  return ['| names | what carries them | source |', '| --- | --- | --- |', ...rows].join('\n');
}

function examplesTable(): string {
  const rows = [
    ...ENTRIES.flatMap((entry) => entry.examples.map(([given, stored]) => `| ${entry.name} | ${shown(given)} | ${shown(stored)} |`)),
    ...NAME_FAMILIES.flatMap((family) => family.examples.map(([given, stored]) => `| names: ${family.parts[0] ?? family.whole[0]} … | ${shown(given)} | ${shown(stored)} |`)),
  ];
  return ['| rule | as it arrives | as it is stored |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The tables, as the page holds them between its markers. */
export function maskingTables(): string {
  return [
    BEGIN,
    '',
    '### Rules, in the order they run',
    '',
    rulesTable(),
    '',
    '### Names',
    '',
    'A name is matched in any case, with any one separator or none where `_` stands (`api_key`, `x-api-key`, `apiKey`, `API Key`); "whole" names only as a name of their own, not inside a longer one.',
    '',
    namesTable(),
    '',
    '### Examples, each a test (test/mask/registry.test.ts)',
    '',
    examplesTable(),
    '',
    END,
  ].join('\n');
}

/** The page with its tables written anew from the registry; it must hold both markers. */
export function withMaskingTables(page: string): string {
  const start = page.indexOf(BEGIN);
  const end = page.indexOf(END);
  if (start === -1 || end < start) throw new Error('docs/masking.md has lost the markers around its generated tables');
  return `${page.slice(0, start)}${maskingTables()}${page.slice(end + END.length)}`;
}
