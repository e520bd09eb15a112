import { describe, expect, it } from 'vitest';
import { maskedJson } from '../../../src/mask/payload';
import { MASK } from '../../../src/mask/rule';
import { maskText } from '../../../src/mask/text';

const BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7Planted\nyZ3xW5Plantedz/R9+A==';
const pem = (label: string, body = BODY) => `-----BEGIN ${label}PRIVATE KEY-----\n${body}\n-----END ${label}PRIVATE KEY-----`;

describe('a PEM private key', () => {
  it.each(['', 'RSA ', 'EC ', 'ENCRYPTED ', 'OPENSSH ', 'DSA '])('is masked between its lines: %j', (label) => {
    const masked = maskText(`key:\n${pem(label)}\nnext`);
    expect(masked).toBe(`key:\n-----BEGIN ${label}PRIVATE KEY-----${MASK}-----END ${label}PRIVATE KEY-----\nnext`);
    expect(maskText(masked)).toBe(masked);
  });

  it('is masked with the headers of a legacy encrypted key', () => {
    const key = pem('RSA ', `Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F17F5316E2BAC89\n\n${BODY}`);
    expect(maskText(key)).toBe(`-----BEGIN RSA PRIVATE KEY-----${MASK}-----END RSA PRIVATE KEY-----`);
  });

  it.each([
    ['in JSON text, its line ends escaped', JSON.stringify({ CertificatePrivateKey: pem('RSA ') })],
    ['in JSON quoted in prose', `upload failed: ${JSON.stringify({ key: `${pem('')}\n` })}`],
    ['with \\r\\n escaped', `body: ${JSON.stringify({ k: pem('').replaceAll('\n', '\r\n') })}`],
    ['in an event', JSON.stringify(maskedJson({ Message: `bad key ${pem('EC ')}`, Sign: 's' }).value)],
  ])('leaves nothing of it %s', (_where, text) => {
    const masked = maskText(text);
    expect(masked).not.toContain('Planted');
    expect(masked).not.toContain('MIIE');
  });

  it('is masked to where its text stops when it is cut short', () => {
    expect(maskText(`key: -----BEGIN PRIVATE KEY-----\\nMIIEvQIBADPlanted`)).toBe(`key: -----BEGIN PRIVATE KEY-----${MASK}`);
  });

  it('does not cut into a name that follows it', () => {
    expect(maskText('-----BEGIN PRIVATE KEY-----secretapi_key: planted')).toBe(`-----BEGIN PRIVATE KEY-----secretapi_key: ${MASK}`);
  });

  it('leaves a certificate, which is public, as it is', () => {
    const certificate = '-----BEGIN CERTIFICATE-----\nMIIDezCCAmOgAwIBAgIJAMJc\n-----END CERTIFICATE-----';
    expect(maskText(certificate)).toBe(certificate);
  });
});
