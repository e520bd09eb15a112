import type { AiResult, Label } from '../record';
import { asObject, bool, items, num, text, type Json } from './read';

/*
 * What an AI task concluded, in the columns of ai_results, read from its Output by field name for
 * every AI task type alike (the models' names: AiReviewPornTaskOutput and its kin for review,
 * QualityControlData for quality control, AiAnalysisTaskClassificationOutput and
 * AiAnalysisTaskTagOutput for labels). Per-segment detail stays in the raw object.
 */

/** Lists of labels: the list, and the field of each item holding the label (its Confidence beside it). */
const LABEL_LISTS: readonly (readonly [list: string, field: string])[] = [
  ['ClassificationSet', 'Classification'],
  ['TagSet', 'Tag'],
];

/** Lists of the issues quality control found, each item with its Type. */
const ISSUE_LISTS: readonly string[] = ['QualityControlResultSet', 'ContainerDiagnoseResultSet'];

/** How many more labels and issue types the record may keep, across all of its AI results. */
export interface LabelBudget {
  left: number;
  lost: number;
}

export type Verdict = Pick<AiResult, 'suggestion' | 'label' | 'confidence' | 'score' | 'no_audio' | 'no_video' | 'issue_types' | 'labels'>;

/** The verdict of a task that reports no output; its lists its own, as every record's are. */
export const noVerdict = (): Verdict => ({ suggestion: null, label: null, confidence: null, score: null, no_audio: null, no_video: null, issue_types: [], labels: [] });

const keep = (budget: LabelBudget): boolean => {
  if (budget.left > 0) {
    budget.left--;
    return true;
  }
  budget.lost++;
  return false;
};

export function verdictOf(output: Json, budget: LabelBudget): Verdict {
  const labels: Label[] = [];
  for (const [list, field] of LABEL_LISTS) {
    if (output[list] === undefined) continue;
    for (const entry of items(output[list])) {
      const item = asObject(entry);
      const label = item && text(item[field]);
      if (label !== null && keep(budget)) labels.push({ label, confidence: num(item!.Confidence) });
    }
  }
  const issueTypes: string[] = [];
  for (const list of ISSUE_LISTS) {
    if (output[list] === undefined) continue;
    for (const entry of items(output[list])) {
      const type = text(asObject(entry)?.Type);
      // Once the budget is spent, an entry is left out unread: a crafted event may list thousands.
      if (type !== null && (budget.left === 0 || !issueTypes.includes(type)) && keep(budget)) issueTypes.push(type);
    }
  }
  return {
    suggestion: text(output.Suggestion),
    label: text(output.Label),
    confidence: num(output.Confidence),
    score: num(output.QualityEvaluationScore),
    no_audio: bool(output.NoAudio),
    no_video: bool(output.NoVideo),
    issue_types: issueTypes,
    labels,
  };
}
