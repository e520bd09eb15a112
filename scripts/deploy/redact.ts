/**
 * Takes the deployer's keys out of a text, wherever they appear: whatever deploy prints passes
 * through it, API messages included, so that no key reaches a terminal or a CI log.
 */
export function redactor(secrets: (string | undefined)[]): (text: string) => string {
  // Longest first, so that a key holding another is taken out whole.
  const known = [...new Set(secrets.filter((s): s is string => Boolean(s)))].sort((a, b) => b.length - a.length);
  return (text) => known.reduce((out, secret) => out.split(secret).join('***'), text);
}
