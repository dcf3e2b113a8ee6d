/**
 * Loading of ICS and IXIT files: JSON, checked with ajv against their schemas; every problem
 * names the file and the field (as a JSON pointer) and says what is wrong.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import type { ErrorObject, JSONSchemaType } from 'ajv';
import type { Ics } from './ics';
import { icsSchema } from './ics';
import type { Ixit } from './ixit';
import { ixitSchema } from './ixit';

export class ConfigError extends Error {}

// the two schemas are checked against JSON Schema's meta-schema by test/unit/catalog.test.ts:
// checking them again would compile the meta-schema in every process that reads an ICS or IXIT
const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });

function describe(e: ErrorObject): string {
  const field = e.instancePath || '/';
  switch (e.keyword) {
    case 'required':
      return `${field === '/' ? '' : field}/${(e.params as { missingProperty: string }).missingProperty}: is missing`;
    case 'additionalProperties':
      return `${field === '/' ? '' : field}/${(e.params as { additionalProperty: string }).additionalProperty}: is not a known field`;
    case 'enum':
      return `${field}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${field}: ${e.message}`;
  }
}

export function validateConfig<T>(schema: JSONSchemaType<T>, value: unknown, source: string): T {
  const validate = ajv.getSchema<T>(schema.$id as string) ?? ajv.compile(schema);
  if (!validate(value)) {
    const lines = (validate.errors ?? []).map((e) => `  ${describe(e)}`);
    throw new ConfigError(`${source} is not a valid ${schema.title}:\n${[...new Set(lines)].join('\n')}`);
  }
  return value as T;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file} is not JSON: ${(e as Error).message}`);
  }
}

export const loadIcs = (file: string): Ics => validateConfig(icsSchema, readJson(file), file);
export const loadIxit = (file: string): Ixit => validateConfig(ixitSchema, readJson(file), file);
