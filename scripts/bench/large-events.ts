import { MASK } from '../../src/mask/rule';

/*
 * Synchronous events as large as SCF delivers (6 MB) and smaller, in the shapes that cost the
 * most memory to parse and to archive, each holding one credential: what the memory benchmark and
 * the tests of the packaged function (test/integration/large-events.test.ts) run. Written as JSON
 * text of an exact size, in the form JSON.stringify gives the parsed event, so that the archived
 * raw object is the text with its credential masked.
 */

export const PLANTED = 'hunter2-planted';

/** The text each shape fills to its size, and where it holds the credential. */
interface Shape {
  /** What one unit of filling adds. */
  unit: number;
  /** The event with `n` units of filling; `pad` is characters of padding, fewer than a unit. */
  text(n: number, pad: string): string;
  /** The credential as the text holds it, and as the archive must keep it. */
  planted: [given: string, stored: string];
}

const event = ({ context = '""', message = '', extra = 'null' }, pad: string) =>
  `{"EventType":"WorkflowTask","SessionContext":${context},"WorkflowTaskEvent":{"TaskId":"large-event","Status":"FINISH","ErrCode":0,"Message":"${message}","MediaProcessResultSet":[],"Extra":${extra}},"Notes":"${pad}"}`;

const WORDS = 'lorem ipsum ';

export const LARGE_SHAPES = {
  /** An array in an array, as deep as the size allows: the most memory per byte once parsed. */
  'deep arrays': {
    unit: 2,
    text: (n, pad) => event({ extra: `${'['.repeat(n)}{"Password":"${PLANTED}"}${']'.repeat(n)}` }, pad),
    planted: [`{"Password":"${PLANTED}"}`, `{"Password":"${MASK}"}`],
  },
  'deep objects': {
    unit: 6,
    text: (n, pad) => event({ extra: `${'{"a":'.repeat(n)}{"token":"${PLANTED}"}${'}'.repeat(n)}` }, pad),
    planted: [`{"token":"${PLANTED}"}`, `{"token":"${MASK}"}`],
  },
  /** MPS's SessionContext holding a JSON array of empty objects: one string once parsed. */
  'objects in SessionContext': {
    unit: 3,
    text: (n, pad) => event({ context: `"[${'{},'.repeat(n)}{\\"token\\":\\"${PLANTED}\\"}]"` }, pad),
    planted: [`{\\"token\\":\\"${PLANTED}\\"}`, `{\\"token\\":\\"${MASK}\\"}`],
  },
  'a long string': {
    unit: WORDS.length,
    text: (n, pad) => event({ message: `${WORDS.repeat(n >> 1)}https://alice:${PLANTED}@live.example.com/app ${WORDS.repeat(n - (n >> 1))}` }, pad),
    planted: [`https://alice:${PLANTED}@live.example.com/`, `https://${MASK}@live.example.com/`],
  },
  /** Empty objects side by side: the most objects per byte. */
  'tiny objects': {
    unit: 3,
    text: (n, pad) => event({ message: `token=${PLANTED}`, extra: `[${'{},'.repeat(n)}{}]` }, pad),
    planted: [`token=${PLANTED}`, `token=${MASK}`],
  },
} satisfies Record<string, Shape>;

export type LargeShape = keyof typeof LARGE_SHAPES;

export interface LargeEvent {
  text: string;
  /** The text as the archive must keep it: its credential masked. */
  masked: string;
}

/** `mb` megabytes, a little under: SCF's limits count a request's whole body. */
export const sizedMb = (mb: number): number => mb * 1024 * 1024 - 512;

/** The shape's event, `bytes` long. */
export function largeEvent(shape: LargeShape, bytes: number): LargeEvent {
  const { unit, text, planted } = LARGE_SHAPES[shape] as Shape;
  const room = bytes - text(0, '').length;
  const n = Math.floor(room / unit);
  const made = text(n, 'x'.repeat(room - n * unit));
  if (made.length !== bytes) throw new Error(`the ${shape} event is ${made.length} bytes, not ${bytes}`);
  return { text: made, masked: made.replace(planted[0], planted[1]) };
}

/**
 * The shapes and sizes, in MB, that a 128 MB function with the shipped heap archives, its peak RSS
 * under 128 MB (test/integration/large-events.test.ts).
 */
export const INSTANCE_HOLDS: [LargeShape, number][] = [
  ['deep arrays', 0.5],
  ['deep arrays', 1],
  ['deep objects', 0.5],
  ['deep objects', 1],
  ['deep objects', 3],
  ['objects in SessionContext', 0.5],
  ['objects in SessionContext', 1],
  ['objects in SessionContext', 3],
  ['objects in SessionContext', 6],
  ['a long string', 0.5],
  ['a long string', 1],
  ['a long string', 3],
  ['a long string', 6],
  ['tiny objects', 0.5],
  ['tiny objects', 1],
];

/**
 * What docs/deploy.md gives a function that takes synchronous events over 256 KB: some of them
 * (below) alone go past 128 MB, and a warm instance taking the worst in turns past 384 MB.
 */
export const LARGER_FUNCTION = { memoryMb: 512, nodeOptions: '--max-old-space-size=256 --max-semi-space-size=2' };

/**
 * Those that SCF's own parse, before the function runs, cannot fit in a 128 MB instance: it runs
 * out of the shipped heap, or, for a million levels of objects, peaks past 128 MB outside it
 * (V8's parser keeps a stack of its own).
 */
export const BEYOND_THE_INSTANCE: [LargeShape, number][] = [
  ['deep arrays', 3],
  ['deep arrays', 6],
  ['deep objects', 6],
  ['tiny objects', 3],
  ['tiny objects', 6],
];
