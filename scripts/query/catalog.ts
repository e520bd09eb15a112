import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isComplete, LATE_MARGIN_MS, readManifest } from '../../src/compact/manifest';
import { dayKeys } from '../../src/keys';
import type { ArchiveFiles, ViewOptions } from './views';

/*
 * What each view of views.ts reads, listed from a copy of the archive in a folder (the local
 * COS's, a pulled one, or --dir). A day not compacted is one glob pattern; a compacted day is its
 * parts and the per-event files written since its listing (late events, replays). To find those
 * without the time of each of a day's files, an hour's folder is looked into only when it changed
 * since: a file added or replaced (written beside, then renamed, as the local COS and the pull
 * write) changes its folder's time.
 */

/** The `name=value` folders under `path`, by value. */
function partitions(path: string, name: string): string[] {
  if (!existsSync(path)) return [];
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name.startsWith(`${name}=`))
    .map((e) => e.name.slice(name.length + 1))
    .sort();
}

const holdsJson = (path: string) => readdirSync(path, { recursive: true, withFileTypes: true }).some((e) => e.isFile() && e.name.endsWith('.json'));

export function archiveFiles(root: string, options: ViewOptions): ArchiveFiles {
  const inRange = (day: string) => (!options.from || day >= options.from) && (!options.to || day <= options.to);
  const files: ArchiveFiles = { eventsJson: [], eventsParquet: [], errors: [], raw: [] };
  /** Each day folder of each `name=` folder of an area that holds JSON, as a pattern. */
  const patterns = (area: string, name: string) =>
    partitions(join(root, options.prefix, area), name).flatMap((value) =>
      partitions(join(root, options.prefix, area, `${name}=${value}`), 'dt')
        .filter(inRange)
        .map((day) => `${options.prefix}/${area}/${name}=${value}/dt=${day}`)
        .filter((dir) => holdsJson(join(root, dir)))
        .map((dir) => `${dir}/*/*.json`),
    );

  const compactedRoot = join(root, options.prefix, 'compacted', 'normalized');
  const types = new Set([...partitions(join(root, options.prefix, 'normalized'), 'event_type'), ...partitions(compactedRoot, 'event_type')]);
  for (const eventType of [...types].sort()) {
    const normalizedDays = partitions(join(root, options.prefix, 'normalized', `event_type=${eventType}`), 'dt');
    const compactedDays = partitions(join(compactedRoot, `event_type=${eventType}`), 'dt');
    for (const day of [...new Set([...normalizedDays, ...compactedDays])].sort().filter(inRange)) {
      const keys = dayKeys(options.prefix, eventType, day);
      const manifestPath = join(root, keys.manifest);
      const manifest = existsSync(manifestPath) ? readManifest(readFileSync(manifestPath, 'utf8')) : undefined;
      const dayDir = join(root, keys.normalized);
      if (!isComplete(manifest)) {
        if (existsSync(dayDir) && holdsJson(dayDir)) files.eventsJson.push(`${keys.normalized}*/*.json`);
        continue;
      }
      files.eventsParquet.push(...manifest.parts.map((p) => p.key).filter((key) => existsSync(join(root, key))));
      const since = Date.parse(manifest.listed_at) - LATE_MARGIN_MS;
      for (const hour of partitions(dayDir, 'hour')) {
        const hourDir = join(dayDir, `hour=${hour}`);
        if (statSync(hourDir).mtimeMs < since) continue;
        for (const name of readdirSync(hourDir).filter((n) => n.endsWith('.json')).sort()) {
          if (statSync(join(hourDir, name)).mtimeMs >= since) files.eventsJson.push(`${keys.normalized}hour=${hour}/${name}`);
        }
      }
    }
  }
  files.errors = patterns('errors', 'error_type');
  files.raw = patterns('raw', 'event_type');
  return files;
}
