import { describe, expect, it } from 'vitest';
import { parseDotEnv } from '../../../scripts/deploy/dotenv';

describe('parseDotEnv', () => {
  it('reads NAME=value lines as dotenv does: export, quotes, comments, blanks around "="', () => {
    const text = [
      '# deploy settings',
      '',
      'REGION=ap-guangzhou',
      'export COS_BUCKET="mps-archive-1250000000" # the archive',
      "  EXECUTION_ROLE = 'mps-cos-backup'",
      'FORWARD_TO=',
      'NOTE=a b #not this',
      'HASH=a#b',
      'ESCAPED="line\\none \\"quoted\\""',
      "LITERAL='a\\nb # c'",
    ].join('\n');
    expect(parseDotEnv(text, '.env')).toEqual({
      REGION: 'ap-guangzhou',
      COS_BUCKET: 'mps-archive-1250000000',
      EXECUTION_ROLE: 'mps-cos-backup',
      FORWARD_TO: '',
      NOTE: 'a b',
      HASH: 'a#b',
      ESCAPED: 'line\none "quoted"',
      LITERAL: 'a\\nb # c',
    });
  });

  it('reads a file saved on Windows: a byte-order mark, CRLF line ends', () => {
    expect(parseDotEnv('\uFEFFREGION=ap-guangzhou\r\nCOS_BUCKET="b-1250000000"\r\nFORWARD_TO=\r\n', '.env')).toEqual({ REGION: 'ap-guangzhou', COS_BUCKET: 'b-1250000000', FORWARD_TO: '' });
  });

  it.each([
    ['a line without "="', 'REGION=ap-guangzhou\nTENCENTCLOUD_SECRETKEY\nFORWARD_TO=\n', 2],
    ['an unclosed quote', 'TENCENTCLOUD_SECRETKEY="abc\nREGION=ap-guangzhou\n', 1],
    ['text after a closing quote', "TENCENTCLOUD_SECRETKEY='abc'def\n", 1],
    ['a name that is not one', 'REGION=x\nSECRET-KEY=abc\n', 2],
  ])('refuses %s by its line number, quoting nothing of it', (_name, text, line) => {
    expect(() => parseDotEnv(text, '/p/.env')).toThrow(new Error(`/p/.env, line ${line}: not NAME=value (quotes closed on the same line; # starts a comment)`));
  });
});
