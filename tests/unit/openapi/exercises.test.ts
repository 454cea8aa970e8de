/**
 * Every manifest of the chapter's exercises must pass strict decoding: a field our schema lacked
 * would make a learner's `kubectl apply` fail with `unknown field`, as it would not on a real cluster.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { JsonObject } from '../../../sandbox/cluster/api/objects.ts';
import { decodeStrict } from '../../../sandbox/cluster/api/openapi/decode.ts';
import { getKindSchema } from '../../../sandbox/cluster/api/openapi/schema.ts';

const EXERCISES = resolve(import.meta.dirname, '../../../content/exercises');

function listManifests(): string[] {
  if (!existsSync(EXERCISES)) return [];
  return readdirSync(EXERCISES, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(EXERCISES, name))
    .sort();
}

const manifests = listManifests();

describe('chapter exercise manifests', () => {
  it.skipIf(manifests.length > 0)(`(skipped: no manifests under ${EXERCISES})`, () => {});

  it.each(manifests.map((file) => [relative(EXERCISES, file), file]))(
    '%s decodes strictly',
    (_name, file) => {
      const documents = parseAllDocuments(readFileSync(file, 'utf8'))
        .map((document) => document.toJSON() as JsonObject | null)
        .filter((object): object is JsonObject => object !== null);
      expect(documents.length).toBeGreaterThan(0);
      for (const object of documents) {
        const apiVersion = String(object.apiVersion);
        const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
        const gvk = { group: group ?? '', version: version ?? '', kind: String(object.kind) };
        expect(
          getKindSchema(gvk.group, gvk.version, gvk.kind),
          `${apiVersion} ${gvk.kind} has a schema`,
        ).toBeDefined();
        const result = decodeStrict(gvk, JSON.stringify(object), 'Strict');
        expect(result.status?.message).toBeUndefined();
        expect(result.object).toEqual(object);
      }
    },
  );
});
