import { MAX_ITEMS } from './collect';
import { asObject, int, items, num, text, type Json } from './read';

/*
 * The files a sub-task's Output names, as one registry for every sub-task type, so that a type
 * MPS adds with fields of these names is read as well. Field names and their meaning are those
 * of tencentcloud-sdk-nodejs's MPS models (mps_models.ts); test/normalize/files.test.ts cites
 * the model of each.
 */

/** A field that names a file: the role of that file, and the field holding its VOD FileId. */
type FileField = readonly [field: string, role: string | null, fileIdField?: string];

/**
 * The Output's own fields, in the order their rows are written. Path says nothing of what the
 * file is (the sub-task's main file: a transcode, an erased video, a subtitle file), so its role
 * is null, and it comes last: a file reported under a more telling name as well keeps that role.
 */
const OWN_FILES: readonly FileField[] = [
  ['ImagePathSet', 'image'],
  ['WebVttPath', 'webvtt'],
  ['VideoPath', 'video', 'VideoFileId'],
  ['VideoPaths', 'video'],
  ['SpeakerPath', 'speakers', 'SpeakerFileId'],
  ['ScriptPath', 'script'],
  ['SubtitlePath', 'subtitle'],
  ['OriginSubtitlePath', 'subtitle', 'OriginSubtitleFileId'],
  ['TranslateSubtitlePath', 'translated_subtitle', 'TranslateSubtitleFileId'],
  ['ErasedVideoPath', 'erased_video'],
  ['VoiceClonedVideo', 'voice_cloned_video'],
  ['VoiceClonedMarkFile', 'voice_clone_marks'],
  ['DubbingEditInfoUrl', 'dubbing_edit_info'],
  ['Path', null, 'FileId'],
];

const SUBTITLE_FILES: readonly FileField[] = [
  ['Path', 'subtitle', 'SubtitleFileId'],
  ['SubtitleEmbedPath', 'subtitle_video'],
];

/**
 * Lists (and objects) of the Output whose items name files. Their rows come first: an item says
 * more of a file (a language, a status, a time) than the Output's own field naming it too.
 */
const NESTED_FILES: readonly (readonly [field: string, files: readonly FileField[]])[] = [
  ['PicInfoSet', [['Path', 'image']]],
  ['CoverSet', [['CoverPath', 'cover']]],
  ['HighlightSet', [['HighlightPath', 'video'], ['CovImgPath', 'cover']]],
  // Segment's clips and their covers, of which MPS gives only the URL (SegmentRecognitionItem).
  ['SegmentSet', [['SegmentUrl', 'video'], ['CovImgUrl', 'cover']]],
  ['DescriptionSet', [['MindMapPath', 'mind_map'], ['SubtitlePath', 'subtitle']]],
  ['SubtitleInfo', SUBTITLE_FILES],
  ['SubtitleResults', SUBTITLE_FILES],
  ['RecognizeSubtitleResult', SUBTITLE_FILES],
  ['TransSubtitleResult', SUBTITLE_FILES],
];

export interface FoundFile {
  path: string | null;
  role: string | null;
  file_id: string | null;
  /** What the item naming the file says of it; null for the Output's own fields. */
  language: string | null;
  time_offset: number | null;
  duration: number | null;
  /** A status of the file's own (a subtitle language's), apart from its sub-task's. */
  status: string | null;
  /** The item's own storage, where it has one (DescriptionSet's). */
  storage: unknown;
}

/**
 * The files of one Output, each path once, the first MAX_ITEMS of them (the most the record keeps)
 * made into rows and the others counted: an Output of a synchronous Invoke can name hundreds of
 * thousands, whose rows and their index would take many times the event's size. A path named
 * again past the cap may be counted twice. Methods rather than closures: this runs for every sub-task.
 */
class Files {
  readonly found: FoundFile[] = [];
  /** Files past the cap. */
  lost = 0;
  /** The statuses of its items that have one of their own (a subtitle language's), one per item. */
  readonly statuses: string[] = [];
  private seen: Set<string> | undefined;

  add(path: string | null, role: string | null, fileId: string | null, item: Json | null): void {
    if (path === null) {
      if (fileId === null) return;
    } else {
      if (this.seen?.has(path)) return;
      if (this.found.length < MAX_ITEMS) (this.seen ??= new Set()).add(path);
    }
    this.push(path, role, fileId, item);
  }

  /** Files made into rows or counted past the cap. */
  get count(): number {
    return this.found.length + this.lost;
  }

  push(path: string | null, role: string | null, fileId: string | null, item: Json | null): void {
    if (this.found.length === MAX_ITEMS) {
      this.lost++;
      return;
    }
    this.found.push({
      path,
      role,
      file_id: fileId,
      language: item && (text(item.Language) ?? text(item.TransDst)),
      time_offset: item && num(item.TimeOffset),
      duration: item && num(item.Duration),
      status: item && text(item.Status),
      storage: item?.OutputStorage,
    });
  }

  read(source: Json, fields: readonly FileField[], item: Json | null): void {
    for (const [field, role, fileIdField] of fields) {
      const value = source[field];
      const fileId = fileIdField === undefined ? undefined : source[fileIdField];
      // Most fields are absent from any one output: they cost a lookup, no more.
      if (value === undefined && fileId === undefined) continue;
      if (Array.isArray(value)) {
        for (const entry of value) this.add(text(entry), role, null, item);
      } else {
        this.add(text(value), role, text(fileId), item);
      }
    }
  }

  /** An item of a list: its files, and its status. One that failed has no file, and keeps a row all the same. */
  readItem(item: Json, fields: readonly FileField[]): void {
    const before = this.count;
    this.read(item, fields, item);
    const status = text(item.Status);
    if (status === null) return;
    this.statuses.push(status);
    if (this.count === before) this.push(null, fields[0]![1], null, item);
  }
}

/** Every file the Output names, each path once (past MAX_ITEMS, counted as lost), and the statuses of its items. */
export function filesOf(output: Json): { found: FoundFile[]; lost: number; statuses: string[] } {
  const files = new Files();
  for (const [field, fields] of NESTED_FILES) {
    const value = output[field];
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const entry of value) {
        const item = asObject(entry);
        if (item) files.readItem(item, fields);
      }
    } else {
      const item = asObject(value);
      if (item) files.readItem(item, fields);
    }
  }
  files.read(output, OWN_FILES, null);
  return files;
}

/** What an Output says of its file(s) as a whole (MediaTranscodeItem's fields, and their kin). */
export function factsOf(output: Json) {
  return {
    definition: int(output.Definition),
    size: int(output.Size),
    duration: num(output.Duration),
    bitrate: int(output.Bitrate),
    width: int(output.Width),
    height: int(output.Height),
    container: text(output.Container),
    md5: text(output.Md5),
    video_codec: codecOf(output.VideoStreamSet),
    audio_codec: codecOf(output.AudioStreamSet),
    package: text(output.Package),
  };
}

/** The codec of the first stream of a set (MediaVideoStreamItem, MediaAudioStreamItem). */
export const codecOf = (streams: unknown): string | null => text(asObject(items(streams)[0])?.Codec);
