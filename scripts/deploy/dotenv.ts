/*
 * The .env beside serverless.yml, read as dotenv and docker compose read one: NAME=value lines,
 * `export ` before a name, values in single or double quotes, comments from `#`, and what editors
 * add (a byte-order mark, CRLF line ends). Not node:util's parseEnv: it keeps a byte-order mark
 * in the first name and joins a line without "=" to the next line's name, so a value the user set
 * would be reported missing, or silently lost. A line that is none of these is refused by its
 * number, never quoted: it may hold a key.
 */

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=[ \t]*(.*)$/;
/** After a closing quote: nothing, or a comment. */
const REST = /^\s*(#.*)?$/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** The value of what follows "=": quoted, or bare up to a comment (a "#" after a blank). */
function value(text: string): string | undefined {
  const quote = text[0];
  if (quote === "'") {
    const end = text.indexOf("'", 1);
    return end > 0 && REST.test(text.slice(end + 1)) ? text.slice(1, end) : undefined;
  }
  if (quote === '"') {
    const match = /^"((?:[^"\\]|\\.)*)"(.*)$/.exec(text);
    return match && REST.test(match[2]!) ? match[1]!.replace(/\\(.)/g, (whole, c: string) => ESCAPES[c] ?? whole) : undefined;
  }
  return text.replace(/(^|\s)#.*$/, '').trim();
}

export function parseDotEnv(text: string, file: string): Record<string, string> {
  const values: Record<string, string> = {};
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, index) => {
      if (/^\s*(#.*)?$/.test(line)) return;
      const match = ASSIGNMENT.exec(line);
      const found = match ? value(match[2]!) : undefined;
      if (!match || found === undefined) throw new Error(`${file}, line ${index + 1}: not NAME=value (quotes closed on the same line; # starts a comment)`);
      values[match[1]!] = found;
    });
  return values;
}
