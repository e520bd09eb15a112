/** Text as S3 quotes bytes in an error: each in hex, separated by spaces (or by `separator`). */
export const hexBytes = (text: string, separator = ' ') => [...Buffer.from(text)].map((b) => b.toString(16).padStart(2, '0')).join(separator);
