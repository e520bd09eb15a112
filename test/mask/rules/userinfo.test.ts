import { describe, expect, it } from 'vitest';
import { MASK } from '../../../src/mask/rule';
import { maskText } from '../../../src/mask/text';

// RFC 3986 allows a "'" in userinfo unencoded (a '"', "<" or ">" it does not).
describe('userinfo holding a "\'"', () => {
  it.each([
    ['in a URL', "play rtmp://user:pa'ss@live.example.com/app failed", `play rtmp://${MASK}@live.example.com/app failed`],
    ['quoted in prose', "tried 'rtmp://user:pa'ss@live.example.com/app' twice", `tried 'rtmp://${MASK}@live.example.com/app' twice`],
    ['in JSON text', `{"Url":"rtmp://user:pa'ss@live.example.com/app"}`, `{"Url":"rtmp://${MASK}@live.example.com/app"}`],
    ['with escaped slashes', "rtmp:\\/\\/user:pa'ss@live.example.com", `rtmp:\\/\\/${MASK}@live.example.com`],
    ['percent-encoded, as encodeURIComponent leaves it', "next=rtmp%3A%2F%2Fuser%3Apa'ss%40live.example.com%2Fapp", `next=rtmp%3A%2F%2F${MASK}%40live.example.com%2Fapp`],
    ['with a named value in it', "rtmp://u:token=a'b@live.example.com/app", `rtmp://${MASK}@live.example.com/app`],
    ['with a quoted named value in it', "x://u:password='a b'@live.example.com", `x://${MASK}@live.example.com`],
  ])('masks it %s', (_form, given, kept) => {
    expect(maskText(given)).toBe(kept);
    expect(maskText(kept)).toBe(kept);
  });

  // Before the named values, a "'" ends userinfo as it ends a bare value: masked with it, it
  // would no longer end the value of the name before the URL, which would take the next name.
  it('masks a name after such a URL in a bare value', () => {
    expect(maskText("password=rtmp://u:p'w@live.example.com/app?token: planted")).not.toContain('planted');
  });

  // A "'" that closes a quoted string may be read as the password's: masking more is the price.
  // A '"' is never read as the password's, so a match stays in the string of JSON text it starts in.
  it('masks past a quote that closes a string, never past one of JSON text', () => {
    expect(maskText("urls: 'rtmp://live.example.com','ops@example.com'")).toBe(`urls: 'rtmp://${MASK}@example.com'`);
    const message = JSON.stringify({ urls: ['rtmp://live.example.com', 'ops@example.com'], note: "'rtmp://live.example.com','ops@example.com'" });
    const masked = maskText(`sent ${message}`);
    expect(masked).toBe(`sent {"urls":["rtmp://live.example.com","ops@example.com"],"note":"'rtmp://${MASK}@example.com'"}`);
    expect(JSON.parse(masked.slice('sent '.length))).toEqual({ urls: ['rtmp://live.example.com', 'ops@example.com'], note: `'rtmp://${MASK}@example.com'` });
  });

  it.each(['mail ops@example.com about it', "it's ops@example.com", "['rtmp://live.example.com', 'ops@example.com']", "mailto:o'brien@example.com"])('leaves %j as it is', (text) => {
    expect(maskText(text)).toBe(text);
  });
});
