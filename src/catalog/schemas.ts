/**
 * JSON Schemas derived from the message catalog. `readings` chooses, per erratum, whether the
 * lenient spelling or value of an IE is also accepted (docs/errata.md).
 */
import type { IeDef, MessageDef } from './messages';

export type ErratumReadings = Readonly<Record<string, 'strict' | 'lenient'>>;

type Schema = Record<string, unknown>;

function valueSchema(ie: IeDef, lenientValue?: string): Schema {
  if (ie.value !== undefined) {
    return lenientValue ? { enum: [ie.value, lenientValue] } : { const: ie.value };
  }
  const base: Schema = (() => {
    switch (ie.type) {
      case 'String':
        return { type: 'string', minLength: 1 };
      case 'Integer':
        return { type: 'integer' };
      case 'Bag':
        return { type: 'array', items: { type: 'string', minLength: 1 } };
      case 'Policy':
        return {
          type: 'object',
          required: ['Trigger'],
          properties: {
            Trigger: { enum: ['on-change', 'periodic'] },
            Period: { type: 'integer', minimum: 1 },
          },
          if: { properties: { Trigger: { const: 'periodic' } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
          then: { required: ['Trigger', 'Period'] },
        };
    }
  })();
  return ie.nullable ? { anyOf: [base, { type: 'null' }] } : base;
}

/**
 * The schema of one message. Unknown extra IEs are allowed (a receiver ignores them), so a
 * future IE does not break older peers.
 */
export function messageSchema(def: MessageDef, readings: ErratumReadings = {}): Schema {
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  const oneOfNames: Schema[] = [];
  for (const ie of def.ies) {
    const lenient = ie.lenient && readings[ie.lenient.erratum] === 'lenient' ? ie.lenient : undefined;
    properties[ie.name] = valueSchema(ie, lenient?.value);
    if (lenient?.name) {
      properties[lenient.name] = valueSchema(ie);
      // either spelling, exactly one of them
      if (ie.required) oneOfNames.push({ required: [ie.name] }, { required: [lenient.name] });
    } else if (ie.required) {
      required.push(ie.name);
    }
  }
  const schema: Schema = {
    $id: `dpe:${def.key}`,
    title: `${def.type} (${def.interface}, ${def.direction}, clause ${def.clause})`,
    type: 'object',
    required,
    properties,
  };
  if (oneOfNames.length) schema.oneOf = oneOfNames;
  return schema;
}
