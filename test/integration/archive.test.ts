import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorRecordSchema, NormalizedRecordSchema } from '../../src/record';
import { context } from '../support/doubles';
import { fixture, fixtureNames } from '../support/fixtures';
import { startLocalWorld, type LocalWorld } from '../support/local-cos';

describe('archiving over real HTTP to the local COS', () => {
  let world: LocalWorld;
  beforeAll(async () => {
    world = await startLocalWorld();
  });
  afterAll(() => world.close());

  it.each(fixtureNames('events'))('%s: both objects read back byte for byte', async (name) => {
    const summary = await world.handler(fixture(name), context);
    if (summary.result !== 'archived') throw new Error('not archived');
    for (const { key, bytes } of Object.values(summary.objects)) {
      const stored = await world.getObject(key);
      expect(stored).toEqual(world.built.get(key));
      expect(stored.length).toBe(bytes);
    }
    const { raw, normalized } = summary.objects;
    const record = NormalizedRecordSchema.parse(JSON.parse((await world.getObject(normalized.key)).toString()));
    expect(record.raw_key).toBe(raw.key);
    expect(await world.cos.files.head(world.config.bucket, raw.key)).toMatchObject({
      contentType: 'application/json',
      storageClass: 'STANDARD',
      encryption: { 'x-cos-server-side-encryption': 'AES256' },
    });
  });

  it.each(fixtureNames('invalid'))('%s: the error record reads back, nothing else is written', async (name) => {
    const before = (await world.listKeys('mps-events/raw/')).length;
    const summary = await world.handler(fixture(name), context);
    if (summary.result !== 'rejected') throw new Error('accepted an invalid payload');
    const stored = await world.getObject(summary.error_key);
    expect(stored).toEqual(world.built.get(summary.error_key));
    expect(ErrorRecordSchema.parse(JSON.parse(stored.toString())).error_type).toBe(summary.error_type);
    expect((await world.listKeys('mps-events/raw/')).length).toBe(before);
  });

  it('stores a redelivered event once: the same keys are overwritten', async () => {
    const before = await world.listKeys('mps-events/');
    await world.handler(fixture('events/workflow-task-success.json'), context);
    await world.handler(fixture('events/workflow-task-success.json'), { ...context, request_id: 'retry' });
    expect(await world.listKeys('mps-events/')).toEqual(before);
  });

  it('lists what it wrote by partition', async () => {
    const normalized = await world.listKeys('mps-events/normalized/event_type=EditMediaTask/');
    expect(normalized).toHaveLength(2);
    const errors = await world.listKeys('mps-events/errors/error_type=not_an_object/');
    expect(errors).toHaveLength(3);
  });
});
