/** A function to hand events on to: `[namespace/]function[:qualifier]` in FORWARD_TO. */
export interface ForwardTarget {
  namespace: string;
  functionName: string;
  qualifier: string;
}

// SCF's naming rules: a name starts with a letter and ends with a letter or digit.
const NAME = '[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]';
const NAMESPACE = '[A-Za-z0-9][A-Za-z0-9_-]{0,28}[A-Za-z0-9]|[A-Za-z0-9]';
const QUALIFIER = '\\$LATEST|\\$DEFAULT|[A-Za-z0-9][A-Za-z0-9_-]{0,62}';
const TARGET = new RegExp(`^(?:(${NAMESPACE})/)?(${NAME})(?::(${QUALIFIER}))?$`);

export const targetName = (t: ForwardTarget) => `${t.namespace}/${t.functionName}:${t.qualifier}`;

/**
 * Parses FORWARD_TO. Returns the targets, or the reasons it cannot: a malformed entry, a
 * duplicate, or this function itself, which would invoke itself for ever. The function cannot
 * tell its own namespace at cold start, so its name is refused in every namespace.
 */
export function parseTargets(value: string, selfName: string | undefined): { targets: ForwardTarget[]; problems: string[] } {
  const targets: ForwardTarget[] = [];
  const problems: string[] = [];
  const entries = value.split(',').map((e) => e.trim());
  if (entries.every((e) => e === '')) return { targets, problems };
  for (const entry of entries) {
    const match = TARGET.exec(entry);
    if (!match) {
      problems.push(`"${entry}" is not [namespace/]function[:qualifier]`);
      continue;
    }
    const target = { namespace: match[1] ?? 'default', functionName: match[2]!, qualifier: match[3] ?? '$LATEST' };
    if (target.functionName === selfName) {
      problems.push(`"${entry}" is this function (SCF_FUNCTIONNAME): it would invoke itself for ever`);
    } else if (targets.some((t) => targetName(t) === targetName(target))) {
      problems.push(`"${entry}" is listed twice (as ${targetName(target)})`);
    } else {
      targets.push(target);
    }
  }
  return { targets, problems };
}
