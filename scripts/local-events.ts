import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { RUN_FROM, shortPath } from './dev-env';

/*
 * What `npm run invoke` and `npm run replay` read, the same way: files and folders (recursively),
 * a .json file being one event and each line of a .ndjson (or .jsonl) file one event. Paths are
 * taken from where the command was run: npm runs scripts from the project root, and says in
 * INIT_CWD where it was called.
 */

export interface LocalEvent {
  /** The file (and line), as the user would name it. */
  source: string;
  payload: unknown;
  /** The text was not JSON: it is sent as the string it is, so that the handler records it. */
  notJson: boolean;
}

const EXTENSIONS = ['.json', '.ndjson', '.jsonl'];

function parsed(source: string, text: string): LocalEvent {
  try {
    return { source, payload: JSON.parse(text), notJson: false };
  } catch {
    return { source, payload: text, notJson: true };
  }
}

function files(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => e.isDirectory() || EXTENSIONS.includes(extname(e.name)))
    .map((e) => e.name)
    .sort()
    .flatMap((name) => files(join(path, name)));
}

/** Every event in the given paths, in name order; throws when there is none. */
export function readLocalEvents(paths: string[], from = RUN_FROM): LocalEvent[] {
  const events = paths.flatMap((p) =>
    files(resolve(from, p)).flatMap((file): LocalEvent[] => {
      const text = readFileSync(file, 'utf8');
      const source = shortPath(file, from);
      if (extname(file) === '.json') return [parsed(source, text)];
      return text.split('\n').flatMap((line, i) => (line.trim() === '' ? [] : [parsed(`${source}:${i + 1}`, line)]));
    }),
  );
  if (events.length === 0) throw new Error(`No events in ${paths.join(', ')}: expected .json, .ndjson or .jsonl files`);
  return events;
}
