import { isSecretName, nameHints } from '../names';
import { MASK, type TextRule } from '../rule';
import { SOURCES } from '../sources';

/**
 * An XML element holding text only. Its name is the one after a namespace prefix; its closing tag
 * may have its slash escaped, as JSON text quoted in a message may write it (<\/Token>). Only its
 * text is replaced: its tags stay as written.
 */
const XML_ELEMENT = /<([A-Za-z_][\w.:-]*)(\s[^<>]*)?>([^<]*)(<\\?\/\1\s*>)/g;

const maskElement = (element: string, name: string, attributes = '', value: string, closing: string) =>
  value !== '' && isSecretName(name.slice(name.lastIndexOf(':') + 1)) ? `<${name}${attributes}>${MASK}${closing}` : element;

export const xmlElement: TextRule = {
  name: 'XML elements',
  finds:
    "an element of text only named by the names table, after a namespace prefix too: STS's answer (`<SessionToken>`), S3's `SignatureDoesNotMatch` error (`<AWSAccessKeyId>`, `<SignatureProvided>`), as a failed task's message can quote it; its tags are kept",
  hints: nameHints,
  examples: [
    [
      'download failed: <Error><Code>SignatureDoesNotMatch</Code><AWSAccessKeyId>AKIAPLANTED</AWSAccessKeyId><SignatureProvided>planted</SignatureProvided><RequestId>R1</RequestId></Error>',
      `download failed: <Error><Code>SignatureDoesNotMatch</Code><AWSAccessKeyId>${MASK}</AWSAccessKeyId><SignatureProvided>${MASK}</SignatureProvided><RequestId>R1</RequestId></Error>`,
    ],
    [
      '<Credentials><TmpSecretId>AKIDplanted</TmpSecretId><sts:SessionToken>planted</sts:SessionToken><Sign>planted</Sign><Password></Password><Expiration>2026</Expiration></Credentials>',
      `<Credentials><TmpSecretId>${MASK}</TmpSecretId><sts:SessionToken>${MASK}</sts:SessionToken><Sign>${MASK}</Sign><Password></Password><Expiration>2026</Expiration></Credentials>`,
    ],
    ['body: {"m":"<SessionToken>planted<\\/SessionToken>"}', `body: {"m":"<SessionToken>${MASK}<\\/SessionToken>"}`],
  ],
  sources: [
    SOURCES.sigV4Troubleshooting,
    SOURCES.awsTemporaryCredentials,
  ],
  mask: (text) => text.replace(XML_ELEMENT, maskElement),
};
