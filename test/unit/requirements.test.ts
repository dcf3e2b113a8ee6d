/**
 * Consistency of the requirement catalog and the errata list with each other, with the ICS
 * schema and with the message catalog. Each check is a function returning the problems it finds,
 * run on the real lists (must find none) and on broken fixtures (must find some), so a check that
 * silently stopped checking would fail here too.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { REQUIREMENTS } from '../../src/requirements/catalog';
import type { Erratum } from '../../src/requirements/errata';
import { ERRATA } from '../../src/requirements/errata';
import type { IcsCondition, Requirement } from '../../src/requirements/types';
import { icsSchema } from '../../src/config/ics';
import { CLAUSES } from '../../src/requirements/clauses';
import type { MessageDef } from '../../src/catalog/messages';
import { MESSAGES } from '../../src/catalog/messages';
import { checkGeneratedDocs, generateDocs, COMMAND } from '../../scripts/gen-docs';

/** The clauses the CR has, plus rules of the wire binding. */
const CR_CLAUSES = new Set(['6.1', '8.1.1', '8.2.2', '8.2.3', '6.2.3.3', '6.2.6.1', '6.3.6.2', '6.3.7', 'binding']);
const LEVELS = new Set(['SHALL', 'SHOULD', 'MAY', 'informative']);
/** Lower-case dotted area + slug; usable in `@req-<id>` tags (no spaces, no parentheses). */
const ID_RE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+$/;
const ERRATUM_ID_RE = /^E\d{2}$/;

interface SchemaProp {
  type?: string;
  enum?: readonly unknown[];
}
const icsProps = icsSchema.properties as unknown as Record<string, SchemaProp>;

function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return [...dup];
}

function conditionProblems(where: string, c: IcsCondition, errata: readonly Erratum[]): string[] {
  if ('erratum' in c) {
    const e = errata.find((x) => x.id === c.erratum);
    if (!e) return [`${where}: erratum ${c.erratum} does not exist`];
    if (e.governs !== 'strict-lenient') return [`${where}: erratum ${c.erratum} is not switchable (governs ${e.governs ?? 'unset'})`];
    if (c.is !== 'strict' && c.is !== 'lenient') return [`${where}: erratum reading "${String(c.is)}"`];
    return [];
  }
  const field = String(c.ics);
  if (field === 'errata' || field === 'implementation') return [`${where}: ICS field "${field}" cannot be a condition`];
  const prop = icsProps[field];
  if (!prop) return [`${where}: ICS has no field "${field}"`];
  if (prop.enum) {
    return prop.enum.includes(c.is) ? [] : [`${where}: ICS ${field} has no value "${String(c.is)}"`];
  }
  if (prop.type === 'boolean') {
    return typeof c.is === 'boolean' ? [] : [`${where}: ICS ${field} is boolean, not "${String(c.is)}"`];
  }
  return [`${where}: ICS ${field} (type ${prop.type ?? '?'}) is not a condition field`];
}

function requirementProblems(reqs: readonly Requirement[], errata: readonly Erratum[]): string[] {
  const problems: string[] = [];
  for (const d of duplicates(reqs.map((r) => r.id))) problems.push(`duplicate requirement id ${d}`);
  const erratumIds = new Set(errata.map((e) => e.id));
  for (const r of reqs) {
    if (!ID_RE.test(r.id)) problems.push(`${r.id}: malformed id`);
    if (!CR_CLAUSES.has(r.clause)) problems.push(`${r.id}: clause "${r.clause}" is not one the CR has`);
    if (!LEVELS.has(r.level)) problems.push(`${r.id}: level "${r.level}"`);
    if (r.review !== 'proposed' && r.review !== 'reviewed') problems.push(`${r.id}: review "${String(r.review)}"`);
    if (r.review !== 'reviewed' && (r.reviewedBy !== undefined || r.reviewedOn !== undefined))
      problems.push(`${r.id}: reviewedBy/reviewedOn on a requirement that is not reviewed`);
    if (r.reviewedBy !== undefined && !r.reviewedBy.trim()) problems.push(`${r.id}: reviewedBy is empty`);
    const day = r.reviewedOn === undefined ? NaN : Date.parse(`${r.reviewedOn}T00:00:00Z`);
    if (
      r.reviewedOn !== undefined &&
      !(/^\d{4}-\d{2}-\d{2}$/.test(r.reviewedOn) && !Number.isNaN(day) && new Date(day).toISOString().startsWith(r.reviewedOn))
    ) {
      problems.push(`${r.id}: reviewedOn "${r.reviewedOn}" is not a date YYYY-MM-DD`);
    }
    if (r.source.kind === 'derived' && !(r.reasoning && r.reasoning.trim().length >= 20))
      problems.push(`${r.id}: derived without reasoning`);
    if (!r.text.trim() || /[\r\n]/.test(r.text)) problems.push(`${r.id}: text must be one non-empty line`);
    if (r.status.kind !== 'mandatory') problems.push(...conditionProblems(r.id, r.status.when, errata));
    for (const ref of `${r.text} ${r.reasoning ?? ''}`.match(/\bE\d{2}\b/g) ?? []) {
      if (!erratumIds.has(ref)) problems.push(`${r.id}: cites unknown erratum ${ref}`);
    }
  }
  return problems;
}

function errataProblems(errata: readonly Erratum[]): string[] {
  const problems: string[] = [];
  for (const d of duplicates(errata.map((e) => e.id))) problems.push(`duplicate erratum id ${d}`);
  errata.forEach((e, i) => {
    if (!ERRATUM_ID_RE.test(e.id)) problems.push(`${e.id}: malformed erratum id`);
    else if (Number(e.id.slice(1)) !== i + 1) problems.push(`${e.id}: out of sequence (expected E${String(i + 1).padStart(2, '0')})`);
    for (const k of ['title', 'where', 'problem', 'reading'] as const) {
      if (!e[k]?.trim()) problems.push(`${e.id}: empty ${k}`);
    }
    if (e.governs === undefined) problems.push(`${e.id}: governs not set`);
    if (e.governs === 'strict-lenient') {
      if (!e.strict || !e.lenient) problems.push(`${e.id}: switchable without strict/lenient text`);
      if (!e.defaultReading) problems.push(`${e.id}: switchable without defaultReading`);
    } else if (e.strict || e.lenient || e.defaultReading) {
      problems.push(`${e.id}: strict/lenient/defaultReading set but not switchable`);
    }
    if (e.governs === 'ics-field') {
      if (!e.icsField) problems.push(`${e.id}: governed by an ICS field but icsField not set`);
      else if (!icsProps[e.icsField] || e.icsField === 'errata' || e.icsField === 'implementation') {
        problems.push(`${e.id}: ICS has no usable field "${e.icsField}"`);
      }
    } else if (e.icsField) {
      problems.push(`${e.id}: icsField set but governs is ${e.governs ?? 'unset'}`);
    }
  });
  return problems;
}

function messageErrataProblems(messages: readonly MessageDef[], errata: readonly Erratum[]): string[] {
  const problems: string[] = [];
  for (const m of messages) {
    for (const ie of m.ies) {
      if (!ie.lenient) continue;
      const e = errata.find((x) => x.id === ie.lenient?.erratum);
      if (!e) problems.push(`${m.key}/${ie.name}: erratum ${ie.lenient.erratum} not in ERRATA`);
      else if (e.governs !== 'strict-lenient') problems.push(`${m.key}/${ie.name}: erratum ${e.id} is not switchable`);
    }
  }
  return problems;
}

const good: Requirement = {
  id: 'x.ok',
  clause: '8.2.2',
  level: 'SHALL',
  source: { kind: 'cr-text', where: '8.2.2' },
  text: 'Something testable.',
  status: { kind: 'mandatory' },
  review: 'proposed',
};

describe('requirement catalog', () => {
  it('has no problems', () => {
    assert.deepEqual(requirementProblems(REQUIREMENTS, ERRATA), []);
  });

  // the CR's rules and the binding's guarantees (issue 10 added delivery, limits and SP isolation)
  it('is of the intended size (roughly 40–80 fine-grained rules)', () => {
    assert.ok(REQUIREMENTS.length >= 40 && REQUIREMENTS.length <= 80, `${REQUIREMENTS.length} requirements`);
  });

  it('has a clause summary for every clause it uses, in src/requirements/clauses.ts', () => {
    const described = new Set(CLAUSES.map((c) => c.id));
    assert.deepEqual(
      [...new Set(REQUIREMENTS.map((r) => r.clause))].filter((c) => !described.has(c)),
      [],
    );
    assert.deepEqual(
      [...CR_CLAUSES].filter((c) => !described.has(c)),
      [],
    );
    for (const c of CLAUSES) assert.ok(c.rule.length > 80 && c.title && c.inCr, c.id);
  });

  it('covers every clause of the CR', () => {
    const used = new Set(REQUIREMENTS.map((r) => r.clause));
    assert.deepEqual(
      [...CR_CLAUSES].filter((c) => !used.has(c)),
      [],
    );
  });

  it('contains the ids other parts of the project tag scenarios with', () => {
    const ids = new Set(REQUIREMENTS.map((r) => r.id));
    for (const id of [
      'reg.response-client-id',
      'reg.retain-association',
      'dc.release-groups',
      'dc.release-policies',
      'dc.set-groups',
      'dc.order-releases-first',
      'cid.report-on-change',
      'cid.report-concerned-only',
      'msg.group-release.wildcard',
      'policy.per-device.keeps-id',
    ]) {
      assert.ok(ids.has(id), `missing ${id}`);
    }
  });

  it('makes each Client ID policy rule conditional on that policy', () => {
    for (const r of REQUIREMENTS.filter((x) => x.id.startsWith('policy.'))) {
      const policy = r.id.split('.')[1];
      assert.equal(r.status.kind, 'conditional', r.id);
      if (r.status.kind === 'conditional') assert.deepEqual(r.status.when, { ics: 'clientIdPolicy', is: policy }, r.id);
    }
  });

  it('detects duplicate, malformed, unknown-clause and unreasoned entries', () => {
    const bad: Requirement[] = [
      good,
      { ...good },
      { ...good, id: 'Bad Id (x)' },
      { ...good, id: 'x.clause', clause: '6.1.2' },
      { ...good, id: 'x.derived', source: { kind: 'derived', where: '8.2.2' } },
      { ...good, id: 'x.text', text: 'two\nlines' },
      { ...good, id: 'x.cite', reasoning: 'see E99' },
      { ...good, id: 'x.unreviewed', reviewedBy: 'A. Editor' },
      { ...good, id: 'x.date', review: 'reviewed', reviewedOn: '2026-02-30' },
      { ...good, id: 'x.signed', review: 'reviewed', reviewedBy: 'A. Editor', reviewedOn: '2026-11-20' },
    ];
    const problems = requirementProblems(bad, ERRATA);
    assert.ok(!problems.some((p) => p.startsWith('x.signed')), problems.join('\n'));
    for (const expected of [
      'duplicate requirement id x.ok',
      'Bad Id (x): malformed id',
      'x.clause: clause',
      'x.derived: derived',
      'x.text: text',
      'x.cite: cites unknown erratum E99',
      'x.unreviewed: reviewedBy',
      'x.date: reviewedOn',
    ]) {
      assert.ok(
        problems.some((p) => p.startsWith(expected)),
        `not detected: ${expected}\n${problems.join('\n')}`,
      );
    }
  });

  it('detects ICS conditions that name no real field or value', () => {
    const bad = [
      { ...good, id: 'x.a', status: { kind: 'conditional', when: { ics: 'clientIdPolicy', is: 'per-moon' } } },
      { ...good, id: 'x.b', status: { kind: 'optional', when: { ics: 'noSuchField', is: true } } },
      { ...good, id: 'x.c', status: { kind: 'optional', when: { ics: 'nullUserReports', is: 'yes' } } },
      { ...good, id: 'x.d', status: { kind: 'conditional', when: { erratum: 'E99', is: 'strict' } } },
      { ...good, id: 'x.e', status: { kind: 'conditional', when: { erratum: 'E05', is: 'strict' } } },
    ] as unknown as Requirement[];
    const problems = requirementProblems(bad, ERRATA);
    for (const id of ['x.a', 'x.b', 'x.c', 'x.d', 'x.e']) {
      assert.ok(
        problems.some((p) => p.startsWith(`${id}:`)),
        `not detected: ${id}\n${problems.join('\n')}`,
      );
    }
  });
});

describe('errata', () => {
  it('has no problems', () => {
    assert.deepEqual(errataProblems(ERRATA), []);
  });

  it('keeps E01–E03 with the meanings the message catalog relies on', () => {
    const byId = new Map(ERRATA.map((e) => [e.id, e]));
    assert.match(byId.get('E01')?.where ?? '', /6\.2\.3\.3/);
    assert.match(byId.get('E01')?.title ?? '', /Group_ID.*Group-ID/);
    assert.match(byId.get('E02')?.where ?? '', /6\.2\.6\.1/);
    assert.match(byId.get('E02')?.title ?? '', /Policy_ID.*Policy-ID/);
    assert.match(byId.get('E03')?.where ?? '', /6\.3\.6\.2/);
    assert.match(byId.get('E03')?.title ?? '', /DPE_Client_ID_Query/);
  });

  it('every erratum referenced by the message catalog exists and is switchable', () => {
    assert.deepEqual(messageErrataProblems(MESSAGES, ERRATA), []);
    assert.ok(
      MESSAGES.some((m) => m.ies.some((ie) => ie.lenient)),
      'the catalog references no erratum at all',
    );
  });

  it('detects duplicate, out-of-sequence and incomplete errata', () => {
    const e1 = ERRATA[0] as Erratum;
    const problems = errataProblems([
      e1,
      { ...e1 },
      { ...e1, id: 'E7' },
      { ...e1, id: 'E04', governs: 'ics-field', icsField: 'noSuchField', strict: undefined, lenient: undefined, defaultReading: undefined },
      { ...e1, id: 'E05', strict: undefined },
    ]);
    for (const expected of [
      'duplicate erratum id E01',
      'E01: out of sequence',
      'E7: malformed',
      'E04: ICS has no usable field',
      'E05: switchable without strict',
    ]) {
      assert.ok(
        problems.some((p) => p.startsWith(expected)),
        `not detected: ${expected}\n${problems.join('\n')}`,
      );
    }
  });

  it('detects a message catalog entry citing an unknown erratum', () => {
    const msg: MessageDef = {
      key: 'X',
      type: 'X',
      interface: 'DPE-1',
      direction: 'server-to-client',
      clause: 'binding',
      summary: 'x',
      ies: [{ name: 'A', required: true, type: 'String', description: 'a', lenient: { erratum: 'E99', name: 'B' } }],
    };
    assert.equal(messageErrataProblems([msg], ERRATA).length, 1);
  });
});

describe('generated docs', () => {
  it('start with the generated-by line and mention every id', () => {
    const docs = generateDocs();
    for (const content of Object.values(docs)) assert.ok(content.split('\n')[0]?.includes(COMMAND));
    for (const r of REQUIREMENTS) assert.ok(docs['docs/requirements.md']?.includes(`\`${r.id}\``), r.id);
    for (const e of ERRATA) assert.ok(docs['docs/errata.md']?.includes(`## ${e.id}\n`), e.id);
    for (const m of MESSAGES) assert.ok(docs['docs/messages.md']?.includes(`## ${m.key}\n`), m.key);
  });

  it('are committed as generated', () => {
    assert.deepEqual(checkGeneratedDocs(), [], `stale docs: run ${COMMAND}`);
  });
});
