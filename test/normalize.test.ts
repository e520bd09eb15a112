import { describe, expect, it } from 'vitest';
import { parseEvent } from '../src/event/parse';
import { MAX_ITEMS, MAX_TEXT, normalize, outcomeOf } from '../src/normalize';
import { NormalizedRecordSchema, type AiResult, type NormalizedOutput, type NormalizedRecord } from '../src/record';
import { fixture, fixtureNames } from './support/fixtures';

/*
 * Mappings are from tencentcloud-sdk-nodejs's MPS models (services/mps/v20190612/mps_models.ts,
 * release 4.1.305): each test names the model field it reads. The fixtures are built from the
 * same models (fixtures/README.md).
 */

const meta = {
  eventId: 'e'.repeat(64),
  rawKey: 'mps-events/raw/x.json',
  receivedAt: new Date('2026-11-22T10:00:00Z'),
  requestId: 'req-1',
  functionName: 'fn',
};

const record = (name: string): NormalizedRecord => normalize(parseEvent(fixture(name)), meta);
const outputs = (name: string) => record(name).outputs;
const aiResults = (name: string) => record(name).ai_results;
/** Rows as [task_type, role, path]: which files a record lists, and as what. */
const files = (rows: NormalizedOutput[]) => rows.map((o) => [o.task_type, o.role, o.path]);

const COS_OUTPUT = { storage_type: 'COS', bucket: 'example-output-1250000000', region: 'ap-guangzhou', sub_app_id: null };

describe('normalize', () => {
  it.each(fixtureNames('events'))('gives %s a record of the published schema, every field there', (name) => {
    const r = record(name);
    expect(NormalizedRecordSchema.strict().parse(r)).toEqual(r);
    expect(Object.keys(r)).toEqual(Object.keys(NormalizedRecordSchema.shape));
    for (const o of r.outputs) expect(Object.keys(o)).toEqual(Object.keys(NormalizedRecordSchema.shape.outputs.element.shape));
    for (const a of r.ai_results) expect(Object.keys(a)).toEqual(Object.keys(NormalizedRecordSchema.shape.ai_results.element.shape));
    expect(r).toMatchObject({
      schema_version: 2,
      event_id: meta.eventId,
      raw_key: meta.rawKey,
      received_at: '2026-11-22T10:00:00.000Z',
      request_id: 'req-1',
      function_name: 'fn',
      replayed_at: null,
    });
  });

  it('says when a replayed event was replayed, keeping its first receipt', () => {
    const replayedAt = new Date('2026-11-25T08:00:00Z');
    const r = normalize(parseEvent(fixture('events/workflow-task-success.json')), { ...meta, replayedAt });
    expect(NormalizedRecordSchema.strict().parse(r)).toMatchObject({ received_at: '2026-11-22T10:00:00.000Z', replayed_at: '2026-11-25T08:00:00.000Z' });
  });

  it.each([
    ['events/workflow-task-docs-sample.json', 'partial'],
    ['events/workflow-task-success.json', 'succeeded'],
    ['events/workflow-task-processing.json', 'processing'],
    ['events/workflow-task-all-failed.json', 'failed'],
    ['events/workflow-task-source-failed.json', 'failed'],
    ['events/workflow-task-nulls.json', 'succeeded'],
    ['events/workflow-task-ai-and-unknown-fields.json', 'partial'],
    ['events/workflow-task-large-ai.json', 'partial'],
    ['events/workflow-task-unknown-status.json', 'unknown'],
    ['events/workflow-task-s3-secrets.json', 'succeeded'],
    ['events/workflow-task-credentials-in-values.json', 'succeeded'],
    ['events/edit-media-task-success.json', 'succeeded'],
    ['events/edit-media-task-failed.json', 'failed'],
    // MediaProcessTaskResult.Type CoverBySnapshot has no sub-task in the model: an item without a status is not counted.
    ['events/workflow-task-cover-by-snapshot.json', 'failed'],
    // SubtitleTransResultItem.Status Error: one language of a SUCCESS task failed.
    ['events/workflow-task-smart-subtitles-trans-text.json', 'partial'],
    // SmartEraseTaskResult has no ErrCode: Status FAIL and ErrCodeExt tell.
    ['events/workflow-task-smart-erase-failed.json', 'failed'],
    ['events/schedule-task.json', 'partial'],
    // BatchSubTaskResult carries no Status.
    ['events/batch-task.json', 'unknown'],
    ['events/extract-blind-watermark.json', 'succeeded'],
    ['events/undocumented-event-type.json', 'processing'],
  ])('%s is %s', (name, outcome) => {
    expect(record(name).outcome).toBe(outcome);
  });

  it('reads the documentation sample in full', () => {
    const r = record('events/workflow-task-docs-sample.json');
    expect(r).toMatchObject({
      event_type: 'WorkflowTask',
      task_id: '245****654-WorkflowTask-f46dac7fe2436c47******d71946986t0',
      status: 'FINISH',
      err_code: 0,
      err_code_ext: null,
      message: null,
      session_id: null,
      inputs: [{ type: 'COS', bucket: 'macgzptest-125****654', region: 'ap-guangzhou', object: '/dianping2.mp4', url: null, file_id: null, sub_app_id: null }],
      media: { duration: 11.261677742004395, width: 1280, height: 720, bitrate: 2681468, size: 3539987, container: 'mov,mp4,m4a,3gp,3g2,mj2', rotate: 90 },
      ai_results: [],
    });
    const storage = { storage_type: 'COS', bucket: 'gztest-125****654', region: 'ap-guangzhou', sub_app_id: null };
    const none = { role: null, file_id: null, language: null, time_offset: null, err_code_ext: null, md5: null, video_codec: null, audio_codec: null, package: null, begin_process_time: null, finish_time: null, duration_ms: null };
    const empty = { size: null, duration: null, bitrate: null, width: null, height: null, container: null };
    expect(r.outputs).toEqual([
      {
        ...none,
        task_type: 'Transcode',
        status: 'SUCCESS',
        err_code: 0,
        message: 'SUCCESS',
        ...storage,
        path: '/dasda/dianping2_transcode_10.mp4',
        definition: 10,
        size: 401637,
        duration: 11.26200008392334,
        bitrate: 293022,
        width: 180,
        height: 320,
        container: 'mov,mp4,m4a,3gp,3g2,mj2',
        // MediaTranscodeItem.Md5, VideoStreamSet[0].Codec, AudioStreamSet[0].Codec
        md5: '31dcf904c03d0cd78346a12c25c0acc9',
        video_codec: 'h264',
        audio_codec: 'aac',
      },
      // A failed sub-task has no Output: where it was asked to write is still recorded.
      { ...none, ...empty, task_type: 'AnimatedGraphics', status: 'FAIL', err_code: 30010, message: 'TencentVodPlatErr Or Unkown', ...storage, path: null, definition: 20000 },
      // MediaSnapshotByTimePicInfoItem.TimeOffset and .Path
      { ...none, ...empty, task_type: 'SnapshotByTimeOffset', role: 'image', status: 'SUCCESS', err_code: 0, message: 'SUCCESS', ...storage, path: '/dasda/dianping2_snapshotByOffset_10_0.jpg', time_offset: 0, definition: 0 },
      // MediaImageSpriteItem.ImagePathSet and .WebVttPath
      { ...none, ...empty, task_type: 'ImageSprites', role: 'image', status: 'SUCCESS', err_code: 0, message: 'SUCCESS', ...storage, path: '/dasda/imageSprite/dianping2_imageSprite_10_0.jpg', definition: 10, width: 142, height: 80 },
      { ...none, ...empty, task_type: 'ImageSprites', role: 'webvtt', status: 'SUCCESS', err_code: 0, message: 'SUCCESS', ...storage, path: '/dasda/imageSprite/dianping2_imageSprite_10.vtt', definition: 10, width: 142, height: 80 },
    ]);
  });

  it('reads an EditMediaTask: every input with its offsets, and the output with its metadata', () => {
    const r = record('events/edit-media-task-success.json');
    expect(r.inputs).toEqual([
      { type: 'COS', bucket: 'example-input-1250000000', region: 'ap-guangzhou', object: '/input/clip-a.mp4', url: null, file_id: null, sub_app_id: null, start_time_offset: 0, end_time_offset: 10 },
      { type: 'URL', bucket: null, region: null, object: null, url: 'https://example.com/input/clip-b.mp4', file_id: null, sub_app_id: null, start_time_offset: 5, end_time_offset: 15 },
    ]);
    // EditMediaTaskOutput.Path, .OutputStorage and .MetaData (MediaMetaData, its stream sets' Codec).
    expect(r.outputs).toEqual([
      expect.objectContaining({
        task_type: 'EditMedia',
        role: null,
        status: 'SUCCESS',
        err_code: 0,
        message: 'SUCCESS',
        ...COS_OUTPUT,
        path: '/output/edit/clip-a_clip-b.mp4',
        size: 2345678,
        duration: 20,
        bitrate: 1000000,
        width: 1280,
        height: 720,
        container: 'mov,mp4,m4a,3gp,3g2,mj2',
        video_codec: 'h264',
        audio_codec: 'aac',
      }),
    ]);
    expect(r.media).toMatchObject({ size: 2345678, duration: 20 });
  });

  it('records a failed EditMediaTask with its error and no outputs', () => {
    const r = record('events/edit-media-task-failed.json');
    expect(r).toMatchObject({ err_code: 12345, message: 'Source file not found', outputs: [], media: null });
  });

  it('reads nulls for every collection as empty', () => {
    const r = record('events/workflow-task-nulls.json');
    expect(r).toMatchObject({ inputs: [], outputs: [], ai_results: [], media: null, message: null, session_id: null });
  });

  it('reads S3 storage, and the normalized record holds no secret', () => {
    const r = record('events/workflow-task-s3-secrets.json');
    expect(r.inputs[0]).toMatchObject({ type: 'AWS-S3', bucket: 'example-s3-bucket', region: 'us-east-1', object: '/input/movie.mp4' });
    expect(r.outputs[0]).toMatchObject({ storage_type: 'AWS-S3', bucket: 'example-s3-output', region: 'us-east-1' });
    expect(JSON.stringify(r)).not.toMatch(/NOT-REAL|Secret/i);
  });

  it('keeps the session fields MPS passes through', () => {
    expect(record('events/workflow-task-success.json')).toMatchObject({
      session_id: 'session-7f3a',
      session_context: '{"order":"A-1001"}',
    });
  });
});

describe('normalize: the files of every media sub-task (MediaProcessTaskResult)', () => {
  it.each([
    ['MediaTranscodeItem.Path', 'workflow-task-transcode', [['Transcode', null, '/output/talk/talk_100030.mp4']]],
    ['MediaAnimatedGraphicsItem.Path', 'workflow-task-animated-graphics', [['AnimatedGraphics', null, '/output/talk/talk_animated_20000.gif']]],
    [
      'MediaSnapshotByTimeOffsetItem.PicInfoSet[].Path',
      'workflow-task-snapshot-by-time-offset',
      [0, 1, 2].map((i) => ['SnapshotByTimeOffset', 'image', `/output/talk/talk_snapshot_${i}.jpg`]),
    ],
    ['MediaSampleSnapshotItem.ImagePathSet', 'workflow-task-sample-snapshot', [0, 1, 2].map((i) => ['SampleSnapshot', 'image', `/output/talk/talk_sample_${i}.jpg`])],
    [
      'MediaImageSpriteItem.ImagePathSet and .WebVttPath',
      'workflow-task-image-sprites',
      [
        ['ImageSprites', 'image', '/output/talk/sprite/talk_sprite_0.jpg'],
        ['ImageSprites', 'image', '/output/talk/sprite/talk_sprite_1.jpg'],
        ['ImageSprites', 'webvtt', '/output/talk/sprite/talk_sprite.vtt'],
      ],
    ],
    [
      'AdaptiveDynamicStreamingInfoItem.Path',
      'workflow-task-adaptive-dynamic-streaming',
      [
        ['AdaptiveDynamicStreaming', null, '/output/talk/ads/talk_master.m3u8'],
        ['AdaptiveDynamicStreaming', null, '/output/talk/ads/talk_manifest.mpd'],
      ],
    ],
  ])('%s: %s', (_field, name, expected) => {
    const rows = outputs(`events/${name}.json`);
    expect(files(rows)).toEqual(expected);
    for (const row of rows) expect(row).toMatchObject({ status: 'SUCCESS', err_code: 0, err_code_ext: null, message: 'SUCCESS', ...COS_OUTPUT });
  });

  it("keeps the transcode's Md5, codecs, size and dimensions (MediaTranscodeItem)", () => {
    expect(outputs('events/workflow-task-transcode.json')[0]).toMatchObject({
      definition: 100030,
      size: 8245760,
      duration: 60.04,
      bitrate: 1100000,
      width: 1280,
      height: 720,
      md5: '5d41402abc4b2a76b9719d911017c592',
      video_codec: 'h265',
      audio_codec: 'aac',
    });
  });

  it('keeps the time of each snapshot (MediaSnapshotByTimePicInfoItem.TimeOffset)', () => {
    expect(outputs('events/workflow-task-snapshot-by-time-offset.json').map((o) => o.time_offset)).toEqual([1.5, 30, 30]);
  });

  it('keeps the package of adaptive streaming (AdaptiveDynamicStreamingInfoItem.Package)', () => {
    expect(outputs('events/workflow-task-adaptive-dynamic-streaming.json').map((o) => [o.definition, o.package])).toEqual([
      [10, 'HLS'],
      [11, 'MPEG-DASH'],
    ]);
  });

  it('keeps the times of a sub-task and how long it ran (MediaProcessTaskAnimatedGraphicResult.BeginProcessTime, .FinishTime)', () => {
    expect(outputs('events/workflow-task-animated-graphics.json')[0]).toMatchObject({
      begin_process_time: '2026-11-20T08:00:02Z',
      finish_time: '2026-11-20T08:00:09Z',
      duration_ms: 7000,
      md5: '7d793037a0760186574b0282f2f435e7',
    });
  });

  it("gives no duration where a time is missing or unreadable, or the finish is before the start", () => {
    const timed = (BeginProcessTime: unknown, FinishTime: unknown) =>
      normalize(
        parseEvent({
          EventType: 'WorkflowTask',
          WorkflowTaskEvent: { TaskId: 't', Status: 'FINISH', MediaProcessResultSet: [{ Type: 'AnimatedGraphics', AnimatedGraphicTask: { Status: 'SUCCESS', BeginProcessTime, FinishTime } }] },
        }),
        meta,
      ).outputs[0]!;
    expect(timed('2026-11-20T08:00:00Z', undefined)).toMatchObject({ begin_process_time: '2026-11-20T08:00:00Z', finish_time: null, duration_ms: null });
    expect(timed('soon', '2026-11-20T08:00:00Z').duration_ms).toBeNull();
    expect(timed('2026-11-20T08:00:09Z', '2026-11-20T08:00:00Z').duration_ms).toBeNull();
    expect(timed(42, '2026-11-20T08:00:00Z')).toMatchObject({ begin_process_time: null, duration_ms: null });
  });

  it('summarizes a media sub-task type it has never seen, and an item with only a Type, without counting the latter', () => {
    expect(files(outputs('events/workflow-task-ai-and-unknown-fields.json').filter((o) => o.task_type === 'SuperResolution'))).toEqual([['SuperResolution', null, '/output/talk_sr.mp4']]);
    expect(outputs('events/workflow-task-cover-by-snapshot.json').map((o) => [o.task_type, o.status])).toEqual([
      ['CoverBySnapshot', null],
      ['Transcode', 'FAIL'],
    ]);
  });
});

describe('normalize: the files of every AI task', () => {
  it.each([
    ['MediaAiAnalysisCoverItem.CoverPath', 'ai-analysis-cover', [0, 1].map((i) => ['AiAnalysis.Cover', 'cover', `/output/talk/ai/talk_cover_${i}.jpg`])],
    [
      'MediaAiAnalysisHighlightItem.HighlightPath and .CovImgPath',
      'ai-analysis-highlight',
      [0, 1].flatMap((i) => [
        ['AiAnalysis.Highlight', 'video', `/output/talk/ai/talk_highlight_${i}.mp4`],
        ['AiAnalysis.Highlight', 'cover', `/output/talk/ai/talk_highlight_${i}.jpg`],
      ]),
    ],
    [
      'AiAnalysisTaskDelLogoOutput: OriginSubtitlePath, TranslateSubtitlePath, ErasedVideoPath, VoiceClonedVideo, VoiceClonedMarkFile, DubbingEditInfoUrl, Path',
      'ai-analysis-delogo',
      [
        ['AiAnalysis.DeLogo', 'subtitle', '/output/talk/delogo/talk_origin.srt'],
        ['AiAnalysis.DeLogo', 'translated_subtitle', '/output/talk/delogo/talk_translate.srt'],
        ['AiAnalysis.DeLogo', 'erased_video', '/output/talk/delogo/talk_erased_only.mp4'],
        ['AiAnalysis.DeLogo', 'voice_cloned_video', '/output/talk/delogo/talk_voice_cloned.mp4'],
        ['AiAnalysis.DeLogo', 'voice_clone_marks', '/output/talk/delogo/talk_voice_clone_marks.json'],
        ['AiAnalysis.DeLogo', 'dubbing_edit_info', '/output/talk/delogo/talk_dubbing_edit.json'],
        ['AiAnalysis.DeLogo', null, '/output/talk/delogo/talk_erased.mp4'],
      ],
    ],
    [
      'MediaAiAnalysisDescriptionItem.MindMapPath and .SubtitlePath',
      'ai-analysis-description',
      [
        ['AiAnalysis.Description', 'mind_map', '/output/talk/description/talk_mindmap.png'],
        ['AiAnalysis.Description', 'subtitle', '/output/talk/description/talk_subtitle.vtt'],
      ],
    ],
    ['AiAnalysisTaskHorizontalToVerticalOutput.Path', 'ai-analysis-horizontal-to-vertical', [['AiAnalysis.HorizontalToVertical', null, '/output/talk/talk_vertical.mp4']]],
    [
      'AiAnalysisTaskDubbingOutput.VideoPath and .SpeakerPath',
      'ai-analysis-dubbing',
      [
        ['AiAnalysis.Dubbing', 'video', '/output/talk/dubbing/talk_en.mp4'],
        ['AiAnalysis.Dubbing', 'speakers', '/output/talk/dubbing/talk_speakers.json'],
      ],
    ],
    ['AiAnalysisTaskVideoRemakeOutput.Path', 'ai-analysis-video-remake', [['AiAnalysis.VideoRemake', null, '/output/talk/talk_remake.mp4']]],
    ['AiAnalysisTaskCutoutOutput.Path', 'ai-analysis-cutout', [['AiAnalysis.Cutout', null, '/output/talk/talk_cutout.mov']]],
    [
      'AiAnalysisTaskReelOutput.VideoPath, .VideoPaths (each once) and .ScriptPath',
      'ai-analysis-reel',
      [
        ['AiAnalysis.Reel', 'video', '/output/talk/reel/talk_reel.mp4'],
        ['AiAnalysis.Reel', 'video', '/output/talk/reel/talk_reel_1.mp4'],
        ['AiAnalysis.Reel', 'script', '/output/talk/reel/talk_reel_script.json'],
      ],
    ],
    ['AiRecognitionTaskAsrFullTextResultOutput.SubtitlePath', 'ai-recognition-asr-full-text', [['AiRecognition.AsrFullText', 'subtitle', '/output/talk/asr/talk_asr.vtt']]],
    ['AiRecognitionTaskTransTextResultOutput.SubtitlePath', 'ai-recognition-trans-text', [['AiRecognition.TransText', 'subtitle', '/output/talk/asr/talk_trans_zh.vtt']]],
    [
      'SmartSubtitleTaskAsrFullTextResultOutput.SubtitleInfo (SubtitleResult.Path, .SubtitleEmbedPath), with Path and SubtitlePath naming the same file',
      'smart-subtitles-asr-full-text',
      [
        ['SmartSubtitles.AsrFullText', 'subtitle', '/output/talk/subtitles/talk_en.vtt'],
        ['SmartSubtitles.AsrFullText', 'subtitle_video', '/output/talk/subtitles/talk_en_embedded.mp4'],
      ],
    ],
    [
      'SmartSubtitleTaskTransTextResultOutput.SubtitleResults (SubtitleTransResultItem.Path, .SubtitleEmbedPath)',
      'smart-subtitles-trans-text',
      [
        ['SmartSubtitles.TransText', 'subtitle', '/output/talk/subtitles/talk_zh.vtt'],
        ['SmartSubtitles.TransText', 'subtitle_video', '/output/talk/subtitles/talk_zh_embedded.mp4'],
        ['SmartSubtitles.TransText', 'subtitle', null],
      ],
    ],
    [
      'PureSubtitleTransResultOutput.SubtitleResults',
      'smart-subtitles-pure-subtitle-trans',
      [
        ['SmartSubtitles.PureSubtitleTrans', 'subtitle', '/output/talk/subtitles/talk_fr.srt'],
        ['SmartSubtitles.PureSubtitleTrans', 'subtitle', '/output/talk/subtitles/talk_de.srt'],
      ],
    ],
    [
      'SmartSubtitleTaskTextResultOutput.RecognizeSubtitleResult and .TransSubtitleResult',
      'smart-subtitles-ocr-full-text',
      [
        ['SmartSubtitles.OcrFullText', 'subtitle', '/output/talk/subtitles/talk_ocr_en.srt'],
        ['SmartSubtitles.OcrFullText', 'subtitle', '/output/talk/subtitles/talk_ocr_zh.srt'],
        ['SmartSubtitles.OcrFullText', 'subtitle_video', '/output/talk/subtitles/talk_ocr_zh_embedded.mp4'],
      ],
    ],
    [
      'SmartEraseTaskResult.Output (AiAnalysisTaskDelLogoOutput)',
      'smart-erase',
      [
        ['SmartErase', 'subtitle', '/output/talk/erase/talk_origin.srt'],
        ['SmartErase', 'translated_subtitle', '/output/talk/erase/talk_translate.srt'],
        ['SmartErase', 'erased_video', '/output/talk/erase/talk_erased_only.mp4'],
        ['SmartErase', 'voice_cloned_video', '/output/talk/erase/talk_voice_cloned.mp4'],
        ['SmartErase', 'voice_clone_marks', '/output/talk/erase/talk_voice_clone_marks.json'],
        ['SmartErase', 'dubbing_edit_info', '/output/talk/erase/talk_dubbing_edit.json'],
        ['SmartErase', null, '/output/talk/erase/talk_erased.mp4'],
      ],
    ],
  ])('%s: %s', (_field, name, expected) => {
    expect(files(outputs(`events/workflow-task-${name}.json`))).toEqual(expected);
  });

  it.each([
    'ai-analysis-classification',
    'ai-analysis-tag',
    'ai-analysis-frame-tag',
    'ai-analysis-head-tail',
    'ai-analysis-video-comprehension',
    'ai-recognition-face',
    'ai-recognition-asr-words',
    'ai-recognition-ocr-words',
    'ai-recognition-ocr-full-text',
    'ai-recognition-object',
    'ai-quality-control',
    ...['porn', 'terrorism', 'political', 'porn-asr', 'porn-ocr', 'political-asr', 'political-ocr', 'terrorism-ocr', 'prohibited-asr', 'prohibited-ocr'].map((t) => `ai-review-${t}`),
  ])('%s writes no file, and lists none', (name) => {
    expect(outputs(`events/workflow-task-${name}.json`)).toEqual([]);
  });

  it("keeps a subtitle's language and its own status, and a failed language with no file (SubtitleTransResultItem.TransDst, .Status)", () => {
    expect(outputs('events/workflow-task-smart-subtitles-trans-text.json').map((o) => [o.language, o.status, o.path])).toEqual([
      ['zh', 'Success', '/output/talk/subtitles/talk_zh.vtt'],
      ['zh', 'Success', '/output/talk/subtitles/talk_zh_embedded.mp4'],
      ['ja', 'Error', null],
    ]);
    expect(outputs('events/workflow-task-smart-subtitles-ocr-full-text.json').map((o) => o.language)).toEqual(['en', 'zh', 'zh']);
  });

  it("keeps a file's own storage (MediaAiAnalysisDescriptionItem.OutputStorage)", () => {
    for (const row of outputs('events/workflow-task-ai-analysis-description.json')) expect(row).toMatchObject({ storage_type: 'COS', bucket: 'example-summary-1250000000' });
  });

  it("lists Segment's clips and their covers, which MPS names by URL only (SegmentRecognitionItem.SegmentUrl, .CovImgUrl)", () => {
    const url = 'https://example-output-1250000000.cos.ap-guangzhou.myqcloud.com/output/talk/segment_0';
    expect(files(outputs('events/workflow-task-ai-analysis-segment.json'))).toEqual([
      ['AiAnalysis.Segment', 'video', `${url}.mp4`],
      ['AiAnalysis.Segment', 'cover', `${url}.jpg`],
    ]);
    // Review's segments are moments of the source, not files: their Url is a frame MPS keeps a while (MediaContentReviewSegmentItem.Url).
    expect(outputs('events/workflow-task-ai-review-porn.json')).toEqual([]);
  });

  it("keeps a highlight's duration (MediaAiAnalysisHighlightItem.Duration)", () => {
    expect(outputs('events/workflow-task-ai-analysis-highlight.json').map((o) => o.duration)).toEqual([15.2, 15.2, 9.8, 9.8]);
  });
});

describe('normalize: the verdict of every AI task', () => {
  const verdict = (name: string): AiResult => {
    const results = aiResults(`events/workflow-task-${name}.json`);
    expect(results).toHaveLength(1);
    return results[0]!;
  };

  it.each([
    ['porn', 'AiContentReview.Porn', 'Porn', 'block', 'porn', 91.5],
    ['terrorism', 'AiContentReview.Terrorism', 'Terrorism', 'review', 'guns', 91.5],
    ['political', 'AiContentReview.Political', 'Political', 'review', 'politician', 91.5],
    ['porn-asr', 'AiContentReview.PornAsr', 'Porn.Asr', 'pass', null, 12],
    ['porn-ocr', 'AiContentReview.PornOcr', 'Porn.Ocr', 'pass', null, 12],
    ['political-asr', 'AiContentReview.PoliticalAsr', 'Political.Asr', 'pass', null, 12],
    ['political-ocr', 'AiContentReview.PoliticalOcr', 'Political.Ocr', 'review', null, 91.5],
    ['terrorism-ocr', 'AiContentReview.TerrorismOcr', 'Terrorism.Ocr', 'pass', null, 12],
    ['prohibited-asr', 'AiContentReview.ProhibitedAsr', 'Prohibited.Asr', 'block', null, 91.5],
    ['prohibited-ocr', 'AiContentReview.ProhibitedOcr', 'Prohibited.Ocr', 'pass', null, 12],
  ])('review %s: Output.Suggestion, .Label and .Confidence (AiReview*TaskOutput)', (name, taskType, type, suggestion, label, confidence) => {
    expect(verdict(`ai-review-${name}`)).toEqual({
      category: 'content_review',
      task_type: taskType,
      type,
      status: 'SUCCESS',
      err_code: 0,
      err_code_ext: null,
      message: 'SUCCESS',
      definition: 10,
      suggestion,
      label,
      confidence,
      score: null,
      no_audio: null,
      no_video: null,
      issue_types: [],
      labels: [],
      begin_process_time: null,
      finish_time: null,
      duration_ms: null,
    });
  });

  it('quality control: QualityControlData.QualityEvaluationScore, .NoAudio, .NoVideo, and the Type of each issue found, once', () => {
    expect(verdict('ai-quality-control')).toMatchObject({
      category: 'quality_control',
      task_type: 'AiQualityControl',
      definition: 60,
      score: 72,
      no_audio: false,
      no_video: false,
      // QualityControlResultSet[].Type, then ContainerDiagnoseResultSet[].Type
      issue_types: ['Blur', 'LowVoice', 'DtsJitter'],
    });
  });

  it('classification and tagging: MediaAiAnalysisClassificationItem and MediaAiAnalysisTagItem, each with its Confidence', () => {
    expect(verdict('ai-analysis-classification')).toMatchObject({ task_type: 'AiAnalysis.Classification', labels: [{ label: 'education', confidence: 88.2 }, { label: 'technology', confidence: 61 }] });
    expect(verdict('ai-analysis-tag')).toMatchObject({ task_type: 'AiAnalysis.Tag', labels: [{ label: 'lecture', confidence: 90.3 }, { label: 'whiteboard', confidence: 72.8 }] });
  });

  it.each([
    ['ai-analysis-cover', 'AiAnalysis.Cover', 'Cover'],
    ['ai-analysis-frame-tag', 'AiAnalysis.FrameTag', 'FrameTag'],
    ['ai-analysis-highlight', 'AiAnalysis.Highlight', 'Highlight'],
    ['ai-analysis-delogo', 'AiAnalysis.DeLogo', 'DeLogo'],
    ['ai-analysis-segment', 'AiAnalysis.Segment', 'SegmentRecognition'],
    ['ai-analysis-head-tail', 'AiAnalysis.HeadTail', 'HeadTailRecognition'],
    ['ai-analysis-description', 'AiAnalysis.Description', 'Description'],
    ['ai-analysis-horizontal-to-vertical', 'AiAnalysis.HorizontalToVertical', 'HorizontalToVertical'],
    ['ai-analysis-dubbing', 'AiAnalysis.Dubbing', 'Dubbing'],
    ['ai-analysis-video-remake', 'AiAnalysis.VideoRemake', 'VideoRemake'],
    ['ai-analysis-video-comprehension', 'AiAnalysis.VideoComprehension', 'VideoComprehension'],
    ['ai-analysis-cutout', 'AiAnalysis.Cutout', 'Cutout'],
    ['ai-analysis-reel', 'AiAnalysis.Reel', 'Reel'],
    ['ai-recognition-face', 'AiRecognition.Face', 'FaceRecognition'],
    ['ai-recognition-asr-words', 'AiRecognition.AsrWords', 'AsrWordsRecognition'],
    ['ai-recognition-asr-full-text', 'AiRecognition.AsrFullText', 'AsrFullTextRecognition'],
    ['ai-recognition-ocr-words', 'AiRecognition.OcrWords', 'OcrWordsRecognition'],
    ['ai-recognition-ocr-full-text', 'AiRecognition.OcrFullText', 'OcrFullTextRecognition'],
    ['ai-recognition-trans-text', 'AiRecognition.TransText', 'TransTextRecognition'],
    ['ai-recognition-object', 'AiRecognition.Object', 'ObjectRecognition'],
    ['smart-subtitles-asr-full-text', 'SmartSubtitles.AsrFullText', 'AsrFullTextRecognition'],
    ['smart-subtitles-trans-text', 'SmartSubtitles.TransText', 'TransTextRecognition'],
    ['smart-subtitles-pure-subtitle-trans', 'SmartSubtitles.PureSubtitleTrans', 'PureSubtitleTrans'],
    ['smart-subtitles-ocr-full-text', 'SmartSubtitles.OcrFullText', 'OcrFullTextRecognition'],
    ['smart-erase', 'SmartErase', null],
  ])('%s is the AI task %s, of Type %s, with its template (Input.Definition) and status', (name, taskType, type) => {
    const v = verdict(name);
    expect(v).toMatchObject({ task_type: taskType, type, status: 'SUCCESS', message: 'SUCCESS' });
    expect(v.definition).toEqual(expect.any(Number));
    // The task's files carry the same name.
    for (const row of outputs(`events/workflow-task-${name}.json`)) expect(row.task_type).toBe(taskType);
  });

  it('keeps the times of AI tasks that have them (AiAnalysisTaskReelResult.BeginProcessTime, .FinishTime)', () => {
    expect(verdict('ai-analysis-reel')).toMatchObject({ begin_process_time: '2026-11-20T08:00:01Z', finish_time: '2026-11-20T08:02:10Z', duration_ms: 129_000 });
  });

  it('keeps ErrCodeExt, the only code of a failed SmartErase (SmartEraseTaskResult has no ErrCode)', () => {
    expect(verdict('smart-erase-failed')).toMatchObject({ status: 'FAIL', err_code: null, err_code_ext: 'InternalError', message: 'Smart erase failed' });
    expect(aiResults('events/workflow-task-ai-and-unknown-fields.json').find((a) => a.type === 'Tag')).toMatchObject({ status: 'FAIL', err_code: 70000, err_code_ext: 'InternalError' });
  });
});

describe('normalize: VOD (点播专业版)', () => {
  const r = () => record('events/workflow-task-vod.json');

  it('keeps the input file: VODInputInfo.FileId, .SubAppId, .Bucket, .Region, .Object', () => {
    expect(r().inputs).toEqual([
      { type: 'VOD', bucket: 'subapp-1500012345-1250000000', region: 'ap-guangzhou', object: '/vod/talk.mp4', url: null, file_id: '5285890799710670616', sub_app_id: 1500012345, start_time_offset: null, end_time_offset: null },
    ]);
  });

  it('keeps the VOD application of each output (VODOutputStorage.SubAppId), and the FileId of each file that has one', () => {
    const vod = { storage_type: 'VOD', bucket: 'subapp-1500012345-1250000000', region: 'ap-guangzhou', sub_app_id: 1500012345 };
    expect(r().outputs.map((o) => [o.task_type, o.role, o.path, o.file_id])).toEqual([
      ['Transcode', null, '/vod/talk_100030.mp4', null],
      // AiAnalysisTaskDubbingOutput.VideoFileId, .SpeakerFileId
      ['AiAnalysis.Dubbing', 'video', '/vod/talk_dubbed_en.mp4', '5285890799710670617'],
      ['AiAnalysis.Dubbing', 'speakers', '/vod/talk_speakers.json', '5285890799710670618'],
      // AiAnalysisTaskDelLogoOutput.OriginSubtitleFileId, .FileId
      ['SmartErase', 'subtitle', '/vod/talk_origin.srt', '5285890799710670620'],
      ['SmartErase', null, '/vod/talk_erased.mp4', '5285890799710670619'],
    ]);
    for (const row of r().outputs) expect(row).toMatchObject(vod);
  });
});

describe('normalize: every EventType of the notification', () => {
  it('reads a ScheduleTask by the code that reads a WorkflowTask: the same sub-tasks give the same rows', () => {
    const schedule = record('events/schedule-task.json');
    const same = (row: NormalizedOutput | AiResult) => ({ ...row, begin_process_time: null, finish_time: null, duration_ms: null });
    const workflow = (name: string) => record(`events/workflow-task-${name}.json`);
    expect(schedule.outputs.filter((o) => o.task_type === 'Transcode')).toEqual(workflow('transcode').outputs);
    expect(schedule.outputs.filter((o) => o.task_type === 'AiAnalysis.Highlight').map(same)).toEqual(workflow('ai-analysis-highlight').outputs);
    expect(schedule.outputs.filter((o) => o.task_type === 'SmartErase')).toEqual(workflow('smart-erase').outputs);
    expect(schedule.ai_results.filter((a) => a.category === 'quality_control')).toEqual(workflow('ai-quality-control').ai_results.map((a) => ({ ...a, type: 'AiQualityControl' })));
    expect(schedule.ai_results.find((a) => a.task_type === 'AiAnalysis.Classification')).toEqual({
      ...workflow('ai-analysis-classification').ai_results[0],
      // An item of an activity without times of its own has its activity's (ScheduleAnalysisTaskResult.BeginProcessTime, .FinishTime).
      begin_process_time: '2026-11-20T08:00:01Z',
      finish_time: '2026-11-20T08:00:50Z',
      duration_ms: 49_000,
    });
  });

  it("lists a ScheduleTask's activities: each AI result of its Output, an activity without results as a task of its own, ExecRuleTask as an output", () => {
    const r = record('events/schedule-task.json');
    expect(r.ai_results.map((a) => [a.task_type, a.status])).toEqual([
      ['AiContentReview.Porn', 'SUCCESS'],
      ['AiAnalysis.Classification', 'SUCCESS'],
      ['AiAnalysis.Highlight', 'SUCCESS'],
      ['AiRecognition', 'FAIL'],
      ['AiQualityControl', 'SUCCESS'],
      ['SmartSubtitles.PureSubtitleTrans', 'SUCCESS'],
      ['SmartErase', 'SUCCESS'],
    ]);
    expect(r.ai_results[0]).toMatchObject({ suggestion: 'block', label: 'porn' });
    expect(r.ai_results[3]).toMatchObject({ category: 'recognition', type: 'AIRecognition', err_code: 70000, err_code_ext: 'InternalError', definition: 10 });
    expect(r.outputs.at(-1)).toMatchObject({ task_type: 'ExecRules', status: 'SUCCESS', path: null });
    expect(r).toMatchObject({ event_type: 'ScheduleTask', status: 'FINISH', session_id: 'session-schedule-1', media: { width: 1920 } });
  });

  it("reads an activity whose results carry only their Type as a task of its own (ActivityResItem.AnalysisTask.Status, .ErrCode, .ErrCodeExt; AiAnalysisResult's tasks are optional)", () => {
    const activity = { Status: 'FAIL', ErrCode: 70000, ErrCodeExt: 'InternalError', Message: 'Analysis failed', Input: { Definition: 20 }, Output: [{ Type: 'Classification' }, { Type: 'Tag', TagTask: null }] };
    const event = { EventType: 'ScheduleTask', ScheduleTaskEvent: { TaskId: 't', Status: 'FINISH', ErrCode: 0, ActivityResultSet: [{ ActivityType: 'AIAnalysis', ActivityResItem: { AnalysisTask: activity } }] } };
    const r = normalize(parseEvent(event), meta);
    expect(r.outcome).toBe('failed');
    expect(r.ai_results.map((a) => [a.task_type, a.type, a.status, a.err_code, a.err_code_ext, a.definition])).toEqual([['AiAnalysis', 'AIAnalysis', 'FAIL', 70000, 'InternalError', 20]]);
  });

  it('reads a BatchTask: every input, each smart subtitles output as a task with its files, no task id or status (the model has none)', () => {
    const r = record('events/batch-task.json');
    expect(r).toMatchObject({ event_type: 'BatchTask', task_id: null, status: null, err_code: null, outcome: 'unknown', media: null });
    expect(r.inputs.map((i) => i.object)).toEqual(['/input/talk-1.mp4', '/input/talk-2.mp4']);
    expect(r.ai_results.map((a) => [a.task_type, a.status, a.err_code_ext, a.definition])).toEqual([
      ['SmartSubtitles.TransText', 'SUCCESS', null, 110],
      ['SmartSubtitles.AsrFullText', 'SUCCESS', null, 110],
      ['SmartSubtitles', 'FAIL', 'InternalError', 110],
    ]);
    expect(files(r.outputs)).toEqual([
      ['SmartSubtitles.TransText', 'subtitle', '/output/batch/talk-1_zh.vtt'],
      ['SmartSubtitles.AsrFullText', 'subtitle', '/output/batch/talk-1_en.vtt'],
    ]);
  });

  it("lists the files of a BatchTask output that has no Status (SmartSubtitleTaskBatchOutput.Status is optional), not counting it", () => {
    const Outputs = [{ Progress: 100, TransTextTask: { SubtitlePath: '/batch/x_zh.vtt' } }, { Status: 'FAIL', ErrCodeExt: 'InternalError' }];
    const r = normalize(parseEvent({ EventType: 'BatchTask', BatchTaskEvent: { Status: 'FINISH', SmartSubtitlesTaskResult: { Outputs } } }), meta);
    expect(files(r.outputs)).toEqual([['SmartSubtitles.TransText', 'subtitle', '/batch/x_zh.vtt']]);
    expect(r.ai_results.map((a) => [a.task_type, a.status])).toEqual([
      ['SmartSubtitles.TransText', null],
      ['SmartSubtitles', 'FAIL'],
    ]);
    expect(r.outcome).toBe('failed');
  });

  it("reads a BatchTask's TaskId and Status where the event carries them", () => {
    const r = normalize(parseEvent({ EventType: 'BatchTask', BatchTaskEvent: { TaskId: 'b-1', Status: 'FINISH', ErrCode: 0 } }), meta);
    expect(r).toMatchObject({ task_id: 'b-1', status: 'FINISH', outcome: 'succeeded' });
  });

  it('reads an ExtractBlindWatermark: the fields every task has, and its input', () => {
    expect(record('events/extract-blind-watermark.json')).toMatchObject({
      event_type: 'ExtractBlindWatermark',
      task_id: expect.stringContaining('ExtractBlindWatermark'),
      status: 'FINISH',
      err_code: 0,
      message: 'SUCCESS',
      inputs: [{ type: 'COS', object: '/input/leaked-copy.mp4' }],
      outputs: [],
      ai_results: [],
    });
  });

  it('gives an EventType no model documents a minimal record, from its {EventType}Event or nothing', () => {
    expect(record('events/undocumented-event-type.json')).toMatchObject({
      event_type: 'LiveScheduleTask',
      task_id: expect.stringContaining('LiveScheduleTask'),
      status: 'PROCESSING',
      err_code: 0,
      inputs: [],
      outputs: [],
      ai_results: [],
      media: null,
    });
    expect(normalize(parseEvent({ EventType: 'AigcVideoTask' }), meta)).toMatchObject({ event_type: 'AigcVideoTask', task_id: null, status: null, outcome: 'unknown' });
  });

  it("keeps the task's ErrCodeExt where an event carries one", () => {
    const r = normalize(parseEvent({ EventType: 'ScheduleTask', ScheduleTaskEvent: { TaskId: 't', Status: 'FINISH', ErrCode: 10, ErrCodeExt: 'FailedOperation.Source', Message: 'source failed' } }), meta);
    expect(r).toMatchObject({ err_code: 10, err_code_ext: 'FailedOperation.Source', outcome: 'failed' });
  });
});

describe('outcomeOf', () => {
  it.each([
    ['PROCESSING', 0, 1, 1, 'processing'],
    ['FINISH', 0, 0, 0, 'succeeded'],
    ['FINISH', 0, 2, 0, 'succeeded'],
    ['FINISH', 0, 2, 1, 'partial'],
    ['FINISH', 0, 2, 2, 'failed'],
    ['FINISH', 70000, 0, 0, 'failed'],
    ['FINISH', 70000, 1, 0, 'failed'],
    ['FINISH', null, 2, 1, 'partial'],
    ['WAITING', 0, 1, 0, 'unknown'],
    ['finish', 0, 1, 0, 'unknown'],
    [null, null, 0, 0, 'unknown'],
  ] as const)('%s with ErrCode %s, %s sub-tasks counted and %s failed, is %s', (status, errCode, counted, failures, outcome) => {
    expect(outcomeOf(status, errCode, counted, failures)).toBe(outcome);
  });

  const subTasks = (...tasks: object[]) =>
    normalize(parseEvent({ EventType: 'WorkflowTask', WorkflowTaskEvent: { TaskId: 't', Status: 'FINISH', ErrCode: 0, MediaProcessResultSet: tasks.map((t) => ({ Type: 'Transcode', TranscodeTask: t })) } }), meta).outcome;

  it.each([
    [[{ Status: 'SUCCESS', ErrCode: 0 }, { Status: 'FAIL', ErrCode: 30010 }], 'partial'],
    [[{ Status: 'SUCCESS', ErrCode: 1 }, { Status: 'SUCCESS', ErrCode: 0 }], 'partial'],
    [[{ Status: 'SUCCESS', ErrCodeExt: 'InternalError' }, { Status: 'SUCCESS', ErrCodeExt: '' }], 'partial'],
    [[{ Status: 'SUCCESS', ErrCodeExt: 'SUCCESS' }], 'succeeded'],
    [[{ Status: 'PROCESSING' }], 'succeeded'],
    [[{ Status: 'FAIL' }, { Status: 'fail' }], 'failed'],
  ])('a sub-task fails by its Status, ErrCode or ErrCodeExt: %j is %s', (tasks, outcome) => {
    expect(subTasks(...tasks)).toBe(outcome);
  });
});

/** An event of about 128 KB (SCF's async limit) whose list holds `count` copies of `item`. */
function crowded(type: 'WorkflowTask' | 'EditMediaTask', list: string, item: unknown) {
  const count = Math.floor(127_000 / (JSON.stringify(item).length + 1));
  const items = Array.from({ length: count }, () => item);
  const task = { TaskId: 't', Status: 'FINISH', ErrCode: 0 };
  const event =
    type === 'WorkflowTask'
      ? { EventType: type, WorkflowTaskEvent: { ...task, [list]: items } }
      : { EventType: type, EditMediaTaskEvent: { ...task, Input: { FileInfoSet: items } } };
  return { event, count };
}

/** A 128 KB event whose one sub-task's Output holds `count` items in `list`, the i-th `item(i)`. */
function crowdedOutput(set: string, itemType: string, task: string, list: string, item: (i: number) => unknown) {
  const count = Math.floor(127_000 / (JSON.stringify(item(99_999)).length + 1));
  const Output = { [list]: Array.from({ length: count }, (_, i) => item(i)) };
  const event = { EventType: 'WorkflowTask', WorkflowTaskEvent: { TaskId: 't', Status: 'FINISH', ErrCode: 0, [set]: [{ Type: itemType, [task]: { Status: 'SUCCESS', Output } }] } };
  return { event, count };
}

const NOTHING_LOST = { inputs: 0, outputs: 0, ai_results: 0, labels: 0, strings: 0 };

describe('normalize, bounded against the event', () => {
  it.each([
    ['media items', crowded('WorkflowTask', 'MediaProcessResultSet', {})],
    ['AI items', crowded('WorkflowTask', 'AiAnalysisResultSet', {})],
    ['clips', crowded('EditMediaTask', 'FileInfoSet', {})],
  ])('adds nothing for empty %s, however many', (_name, { event }) => {
    const r = normalize(parseEvent(event), meta);
    expect([r.inputs, r.outputs, r.ai_results]).toEqual([[], [], []]);
    expect(r.truncated).toBeNull();
    expect(JSON.stringify(r).length).toBeLessThan(1_000);
  });

  it.each([
    ['outputs', crowded('WorkflowTask', 'MediaProcessResultSet', { Type: 'T' })],
    ['ai_results', crowded('WorkflowTask', 'AiRecognitionResultSet', { Type: 'T' })],
    ['inputs', crowded('EditMediaTask', 'FileInfoSet', { StartTimeOffset: 1 })],
    // Files of one sub-task: MediaSampleSnapshotItem.ImagePathSet, each path its own row.
    ['outputs', crowdedOutput('MediaProcessResultSet', 'SampleSnapshot', 'SampleSnapshotTask', 'ImagePathSet', (i) => `/s/${i}.jpg`)],
    ['outputs', crowdedOutput('MediaProcessResultSet', 'SnapshotByTimeOffset', 'SnapshotByTimeOffsetTask', 'PicInfoSet', (i) => ({ Path: `/s/${i}.jpg`, TimeOffset: i }))],
  ] as const)('keeps at most MAX_ITEMS %s of a 128 KB event, and says how many it left out', (list, { event, count }) => {
    const r = normalize(parseEvent(event), meta);
    expect(r[list]).toHaveLength(MAX_ITEMS);
    expect(r.truncated).toEqual({ ...NOTHING_LOST, [list]: count - MAX_ITEMS });
    expect(NormalizedRecordSchema.strict().parse(r)).toEqual(r);
    // MAX_ITEMS entries of under a kilobyte, whatever the event lists.
    expect(JSON.stringify(r).length).toBeLessThan(MAX_ITEMS * 1_000);
  });

  it.each([
    ['labels', 'labels', crowdedOutput('AiAnalysisResultSet', 'Tag', 'TagTask', 'TagSet', (i) => ({ Tag: `t${i}`, Confidence: 1 }))],
    ['issue types', 'issue_types', crowdedOutput('AiAnalysisResultSet', 'QC', 'QcTask', 'QualityControlResultSet', (i) => ({ Type: `t${i}` }))],
  ] as const)('keeps at most MAX_ITEMS %s across the AI results of a 128 KB event', (_name, field, { event, count }) => {
    const r = normalize(parseEvent(event), meta);
    expect(r.ai_results[0]![field]).toHaveLength(MAX_ITEMS);
    expect(r.truncated).toEqual({ ...NOTHING_LOST, labels: count - MAX_ITEMS });
    expect(JSON.stringify(r).length).toBeLessThan(MAX_ITEMS * 100);
  });

  it('keeps each issue type once', () => {
    const Output = { QualityControlResultSet: [{ Type: 'Blur' }, { Type: 'Noise' }, { Type: 'Blur' }] };
    const event = { EventType: 'WorkflowTask', WorkflowTaskEvent: { TaskId: 't', Status: 'FINISH', AiQualityControlTaskResult: { Status: 'SUCCESS', Output } } };
    expect(normalize(parseEvent(event), meta).ai_results[0]!.issue_types).toEqual(['Blur', 'Noise']);
  });

  it('judges the outcome on every sub-task, kept or left out', () => {
    const ok = { Type: 'Transcode', TranscodeTask: { Status: 'SUCCESS', ErrCode: 0 } };
    const items = Array.from({ length: MAX_ITEMS + 10 }, () => ok);
    items.push({ Type: 'Transcode', TranscodeTask: { Status: 'FAIL', ErrCode: 1 } });
    const event = { EventType: 'WorkflowTask', WorkflowTaskEvent: { TaskId: 't', Status: 'FINISH', ErrCode: 0, MediaProcessResultSet: items } };
    const r = normalize(parseEvent(event), meta);
    expect(r.outcome).toBe('partial');
    expect(r.outputs.every((o) => o.status === 'SUCCESS')).toBe(true);
    expect(r.truncated).toMatchObject({ outputs: 11 });
  });

  it('cuts every string to MAX_TEXT characters, and counts what it cut', () => {
    const long = 'm'.repeat(4_000_000);
    const event = {
      EventType: 'WorkflowTask',
      WorkflowTaskEvent: {
        TaskId: long,
        Status: 'FINISH',
        Message: long,
        MediaProcessResultSet: [{ Type: long, TranscodeTask: { Status: 'SUCCESS', Output: { Path: long } } }],
        AiAnalysisResultSet: [{ Type: 'Tag', [`${long}Task`]: { Status: 'SUCCESS', Output: { TagSet: [{ Tag: long }] } } }],
      },
      SessionContext: 'short',
    };
    const r = normalize(parseEvent(event), meta);
    const strings = [r.task_id, r.message, r.outputs[0]!.task_type, r.outputs[0]!.path, r.ai_results[0]!.task_type, r.ai_results[0]!.labels[0]!.label];
    expect(strings.map((t) => t?.length)).toEqual(Array(6).fill(MAX_TEXT));
    expect(r.session_context).toBe('short');
    expect(r.truncated).toEqual({ ...NOTHING_LOST, strings: 6 });
    expect(JSON.stringify(r).length).toBeLessThan(8 * MAX_TEXT);
  });

  it('counts the cut strings of each record apart', () => {
    normalize(parseEvent({ EventType: 'WorkflowTask', WorkflowTaskEvent: { TaskId: 'x'.repeat(MAX_TEXT + 1), Status: 'FINISH' } }), meta);
    expect(record('events/workflow-task-success.json').truncated).toBeNull();
  });
});
