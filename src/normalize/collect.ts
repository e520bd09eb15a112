import type { AiResult, NormalizedInput, NormalizedOutput } from '../record';
import type { LabelBudget } from './verdicts';

/**
 * The most items the record keeps of each list (and of labels and issue types across its AI
 * results). Real tasks have tens; a 128 KB event can list tens of thousands of small items, each
 * of which would become a record entry many times its size, and the record would outgrow the
 * instance's memory. The raw object keeps every one.
 */
export const MAX_ITEMS = 1_000;

/** A list of the record that keeps its first MAX_ITEMS items and counts the others. */
export class Capped<T> {
  readonly items: T[] = [];
  lost = 0;

  /** Whether the list has room; when it has not, the item about to be made is counted as lost. */
  room(): boolean {
    if (this.items.length < MAX_ITEMS) return true;
    this.lost++;
    return false;
  }
}

/**
 * MPS's failed statuses: FAIL for sub-tasks (MediaProcessTaskTranscodeResult.Status and its kin),
 * Error for a subtitle language (SubtitleTransResultItem.Status). Compared in lower case.
 */
const FAILED = new Set(['fail', 'error']);

/** What ErrCodeExt holds when all went well ("" reads as absent). */
const SUCCEEDED_EXT = 'success';

/** What a record is made of, gathered sub-task by sub-task. */
export class RecordParts {
  readonly inputs = new Capped<NormalizedInput>();
  readonly outputs = new Capped<NormalizedOutput>();
  readonly aiResults = new Capped<AiResult>();
  readonly labels: LabelBudget = { left: MAX_ITEMS, lost: 0 };
  /** Sub-tasks and sub-statuses that carry a status, and how many of them failed: for the outcome. */
  counted = 0;
  failures = 0;

  /**
   * Counts a sub-task (or a file's own status) for the outcome; what carries no status is not
   * counted. It failed when its status says so, or its ErrCode or ErrCodeExt is not success.
   */
  count(status: string | null, errCode: number | null = null, errCodeExt: string | null = null): void {
    if (status === null) return;
    this.counted++;
    if (FAILED.has(status.toLowerCase()) || (errCode !== null && errCode !== 0) || (errCodeExt !== null && errCodeExt.toLowerCase() !== SUCCEEDED_EXT)) {
      this.failures++;
    }
  }
}
