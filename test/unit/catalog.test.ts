/**
 * The message catalog, its JSON Schemas and the validator: every message of the binding has a
 * valid example that passes; each kind of defect gives a Problem naming message, IE and clause;
 * erratum spellings are accepted only under the lenient reading; unknown extra IEs are accepted.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Direction } from '../../src/catalog/messages';
import { MESSAGES, messageDef } from '../../src/catalog/messages';
import Ajv from 'ajv';
import { messageSchema } from '../../src/catalog/schemas';
import { icsSchema } from '../../src/config/ics';
import { ixitSchema } from '../../src/config/ixit';
import type { Problem } from '../../src/catalog/validate';
import { MessageValidator, ProblemError, describeProblem } from '../../src/catalog/validate';

type Body = Record<string, unknown>;

/** One valid example per catalog key, written by hand so a changed catalog shows up here. */
const EXAMPLES: Record<string, Body> = {
  DPE_Registration_Request: {
    'Message-Type': 'DPE_Registration_Request',
    'Message-ID': 'r-1',
    'User-Identity': 'tel:+15550000001',
    'Device-Identity': '356938035643809',
    'Notify-URI': 'http://127.0.0.1:9/device',
  },
  DPE_Registration_Response: { 'Message-Type': 'DPE_Registration_Response', 'Message-ID': 'r-1', 'Client-ID': 'c-1' },
  DPE_Group_Set: { 'Message-Type': 'DPE_Group_Set', 'Message-ID': 's-1', 'Group-ID': 'g1', Properties: ['battery', 'cell'] },
  DPE_Group_Release: { 'Message-Type': 'DPE_Group_Release', Group_ID: '*', 'Message-ID': 's-2' },
  DPE_Property_Policy_Set: {
    'Message-Type': 'DPE_Property_Policy_Set',
    'Message-ID': 's-3',
    'Policy-ID': 'p1',
    Property: 'battery',
    Policy: { Trigger: 'periodic', Period: 60 },
  },
  DPE_Group_Policy_Set: {
    'Message-Type': 'DPE_Group_Policy_Set',
    'Message-ID': 's-4',
    'Policy-ID': 'p2',
    'Group-ID': 'g1',
    Policy: { Trigger: 'on-change' },
  },
  DPE_Policy_Release: { 'Message-Type': 'DPE_Policy_Release', 'Policy-ID': '*', 'Message-ID': 's-5' },
  DPE_Registration_Trigger: { 'Message-Type': 'DPE_Registration_Trigger', 'Message-ID': 's-6' },
  DPE_Client_ID_Query: { 'Message-Type': 'DPE_Client_ID_Query', 'Message-ID': 7, 'Query-Key': 'tel:+15550000001' },
  DPE_Client_ID_Response: { 'Message-Type': 'DPE_Client_ID_Response', 'Message-ID': 7, 'Client-ID': ['c-1', 'c-2'] },
  DPE_Client_ID_Report: {
    'Message-Type': 'DPE_Client_ID_Report',
    'Message-ID': 8,
    'User-Identity': ['tel:+15550000001'],
    'Client-ID': ['c-2'],
    'Replaces-Client-ID': ['c-1'],
  },
  'DPE_Group_Set@DPE-2': {
    'Message-Type': 'DPE_Group_Set',
    'Message-ID': 9,
    'User-Identity': 'tel:+15550000001',
    'Group-ID': 'g1',
    Properties: ['battery'],
  },
  'DPE_Property_Policy_Set@DPE-2': {
    'Message-Type': 'DPE_Property_Policy_Set',
    'Message-ID': 10,
    'User-Identity': 'tel:+15550000001',
    'Policy-ID': 'p1',
    Property: 'battery',
    Policy: { Trigger: 'on-change' },
  },
  'DPE_Group_Policy_Set@DPE-2': {
    'Message-Type': 'DPE_Group_Policy_Set',
    'Message-ID': 11,
    'User-Identity': 'tel:+15550000001',
    'Policy-ID': 'p2',
    'Group-ID': 'g1',
    Policy: { Trigger: 'periodic', Period: 5 },
  },
};

const strict = new MessageValidator();
const lenient = new MessageValidator({ E01: 'lenient', E02: 'lenient', E03: 'lenient' });

const directionOf = (key: string): Direction => messageDef(key).direction;
const withIe = (key: string, ie: string, value: unknown): Body => ({ ...EXAMPLES[key], [ie]: value });
const withoutIe = (key: string, ie: string): Body => {
  const b = { ...EXAMPLES[key] };
  delete b[ie];
  return b;
};

/** The single problem of `body`, which must have exactly one. */
function onlyProblem(v: MessageValidator, body: unknown, direction: Direction, key?: string): Problem {
  const { problems } = v.check(body, direction, key);
  const [only] = problems;
  assert.ok(problems.length === 1 && only, `expected one problem, got ${JSON.stringify(problems)}`);
  return only;
}

describe('message catalog', () => {
  it('has one valid example per message, and no example without a message', () => {
    assert.deepEqual(Object.keys(EXAMPLES).sort(), MESSAGES.map((m) => m.key).sort());
  });

  it('keys are unique and every message has Message-Type and Message-ID as mandatory IEs', () => {
    assert.equal(new Set(MESSAGES.map((m) => m.key)).size, MESSAGES.length);
    for (const m of MESSAGES) {
      const mt = m.ies.find((ie) => ie.name === 'Message-Type');
      const mid = m.ies.find((ie) => ie.name === 'Message-ID');
      assert.equal(mt?.required, true, `${m.key}: Message-Type`);
      assert.equal(mt?.value, m.type, `${m.key}: Message-Type value`);
      assert.equal(mid?.required, true, `${m.key}: Message-ID`);
      // binding: a string on DPE-1, an integer on DPE-2
      assert.equal(mid?.type, m.interface === 'DPE-1' ? 'String' : 'Integer', `${m.key}: Message-ID type`);
    }
  });

  it('derives a schema whose required list is the mandatory IEs', () => {
    const s = messageSchema(messageDef('DPE_Client_ID_Report'));
    assert.deepEqual(s.required, ['Message-Type', 'Message-ID', 'User-Identity', 'Client-ID']);
    assert.equal(s.$id, 'dpe:DPE_Client_ID_Report');
    // the lenient spelling turns the plain "required" into "exactly one of the two names"
    const g = messageSchema(messageDef('DPE_Group_Release'), { E01: 'lenient' });
    assert.deepEqual(g.required, ['Message-Type', 'Message-ID']);
    assert.deepEqual(g.oneOf, [{ required: ['Group_ID'] }, { required: ['Group-ID'] }]);
  });

  it('messageDef names an unknown key', () => {
    assert.throws(() => messageDef('DPE_Nope'), /message catalog has no message "DPE_Nope"/);
  });
});

describe('validator: valid messages', () => {
  for (const [key, body] of Object.entries(EXAMPLES)) {
    it(`accepts the example ${key}`, () => {
      const { def, problems } = strict.check(body, directionOf(key));
      assert.deepEqual(problems, []);
      assert.equal(def?.key, key);
      assert.equal(strict.assert(body, directionOf(key)).key, key);
    });
  }

  it('accepts null where the catalog allows it (Client-ID of a response, User-Identity of a report)', () => {
    assert.deepEqual(strict.check(withIe('DPE_Client_ID_Response', 'Client-ID', null), 'server-to-sp').problems, []);
    const report: Body = { ...EXAMPLES.DPE_Client_ID_Report, 'User-Identity': null, 'Client-ID': ['c-9'] };
    delete report['Replaces-Client-ID'];
    assert.deepEqual(strict.check(report, 'server-to-sp').problems, []);
  });

  it('accepts unknown extra IEs in every message (a receiver ignores them)', () => {
    for (const [key, body] of Object.entries(EXAMPLES)) {
      const extra = { ...body, 'X-Vendor-Extension': { nested: [1, 2] }, 'Future-IE': 'value' };
      assert.deepEqual(strict.check(extra, directionOf(key)).problems, [], key);
    }
  });

  it('picks the message by type and direction: DPE_Group_Set on DPE-2 needs User-Identity', () => {
    assert.equal(strict.check(EXAMPLES.DPE_Group_Set, 'server-to-client').def?.key, 'DPE_Group_Set');
    const { def, problems } = strict.check(EXAMPLES.DPE_Group_Set, 'sp-to-server');
    assert.equal(def?.key, 'DPE_Group_Set@DPE-2');
    assert.deepEqual(problems.map((p) => [p.code, p.message, p.ie, p.clause]).sort(), [
      ['INVALID_IE', 'DPE_Group_Set', 'Message-ID', 'binding'],
      ['MISSING_IE', 'DPE_Group_Set', 'User-Identity', 'binding'],
    ]);
  });
});

describe('validator: problems name message, IE and clause', () => {
  it('a missing mandatory IE', () => {
    const p = onlyProblem(strict, withoutIe('DPE_Registration_Request', 'Notify-URI'), 'client-to-server');
    assert.deepEqual(
      { code: p.code, message: p.message, ie: p.ie, clause: p.clause },
      { code: 'MISSING_IE', message: 'DPE_Registration_Request', ie: 'Notify-URI', clause: '8.1.1' },
    );
    assert.equal(describeProblem(p), 'DPE_Registration_Request: IE Notify-URI is missing (mandatory) (clause 8.1.1)');
  });

  it('every mandatory IE of every message is reported when missing', () => {
    for (const m of MESSAGES) {
      for (const ie of m.ies.filter((x) => x.required && x.name !== 'Message-Type')) {
        const { problems } = strict.check(withoutIe(m.key, ie.name), m.direction, m.key);
        assert.deepEqual(
          problems.map((p) => [p.code, p.message, p.ie, p.clause]),
          [['MISSING_IE', m.type, ie.name, m.clause]],
          `${m.key} without ${ie.name}`,
        );
      }
    }
  });

  it('a string Message-ID on DPE-2 (integer there)', () => {
    const p = onlyProblem(strict, withIe('DPE_Client_ID_Query', 'Message-ID', '7'), 'sp-to-server');
    assert.deepEqual([p.code, p.message, p.ie, p.clause], ['INVALID_IE', 'DPE_Client_ID_Query', 'Message-ID', '6.3.6.2']);
    assert.match(p.detail, /is "7", expected an integer/);
  });

  it('an integer Message-ID on DPE-1 (string there)', () => {
    const p = onlyProblem(strict, withIe('DPE_Group_Release', 'Message-ID', 5), 'server-to-client');
    assert.deepEqual([p.code, p.message, p.ie, p.clause], ['INVALID_IE', 'DPE_Group_Release', 'Message-ID', '6.2.3.3']);
    assert.match(p.detail, /is 5, expected a non-empty string/);
  });

  it('a string where a bag is required', () => {
    const p = onlyProblem(strict, withIe('DPE_Client_ID_Report', 'Client-ID', 'c-2'), 'server-to-sp');
    assert.deepEqual([p.code, p.message, p.ie, p.clause], ['INVALID_IE', 'DPE_Client_ID_Report', 'Client-ID', '6.3.7']);
    assert.match(p.detail, /expected a bag \(array\) of strings or null/);
  });

  it('a bag where a string is required', () => {
    const p = onlyProblem(strict, withIe('DPE_Client_ID_Query', 'Query-Key', ['tel:+1']), 'sp-to-server');
    assert.deepEqual([p.code, p.ie, p.clause], ['INVALID_IE', 'Query-Key', '6.3.6.2']);
  });

  it('null where the IE is not nullable', () => {
    const p = onlyProblem(strict, withIe('DPE_Client_ID_Report', 'Replaces-Client-ID', null), 'server-to-sp');
    assert.deepEqual([p.code, p.message, p.ie, p.clause], ['INVALID_IE', 'DPE_Client_ID_Report', 'Replaces-Client-ID', '6.3.7']);
    const q = onlyProblem(strict, withIe('DPE_Registration_Request', 'Notify-URI', null), 'client-to-server');
    assert.deepEqual([q.code, q.ie, q.clause], ['INVALID_IE', 'Notify-URI', '8.1.1']);
  });

  it('a policy without the Period its periodic trigger needs', () => {
    const p = onlyProblem(strict, withIe('DPE_Property_Policy_Set', 'Policy', { Trigger: 'periodic' }), 'server-to-client');
    assert.deepEqual([p.code, p.message, p.ie, p.clause], ['INVALID_IE', 'DPE_Property_Policy_Set', 'Policy', '8.2.2']);
    assert.match(p.detail, /is \{"Trigger":"periodic"\}, expected a policy object/);
  });

  it('a wrong Message-Type value when the message is pinned by context', () => {
    const body = withIe('DPE_Client_ID_Response', 'Message-Type', 'DPE_Something');
    const p = onlyProblem(strict, body, 'server-to-sp', 'DPE_Client_ID_Response');
    assert.deepEqual([p.code, p.message, p.ie, p.clause], ['INVALID_IE', 'DPE_Client_ID_Response', 'Message-Type', '6.3.6.2']);
  });

  it('an unknown Message-Type', () => {
    const p = onlyProblem(strict, { 'Message-Type': 'DPE_Teleport', 'Message-ID': 'x' }, 'client-to-server');
    assert.deepEqual([p.code, p.message, p.ie, p.clause], ['UNKNOWN_MESSAGE_TYPE', 'DPE_Teleport', 'Message-Type', 'binding']);
    assert.equal(
      describeProblem(p),
      'DPE_Teleport: IE Message-Type is "DPE_Teleport", not a message the binding sends client to server (clause binding)',
    );
  });

  it('a known Message-Type in the wrong direction is unknown there', () => {
    const p = onlyProblem(strict, EXAMPLES.DPE_Client_ID_Report, 'client-to-server');
    assert.deepEqual([p.code, p.message, p.ie], ['UNKNOWN_MESSAGE_TYPE', 'DPE_Client_ID_Report', 'Message-Type']);
  });

  it('no Message-Type at all', () => {
    const p = onlyProblem(strict, { 'Message-ID': 'x' }, 'client-to-server');
    assert.deepEqual([p.code, p.ie, p.clause], ['MISSING_IE', 'Message-Type', 'binding']);
    assert.equal(describeProblem(p), 'message: IE Message-Type is missing (mandatory) (clause binding)');
  });

  it('a body that is not a JSON object', () => {
    for (const body of [null, [1, 2], 'text', 42]) {
      const p = onlyProblem(strict, body, 'server-to-sp', 'DPE_Client_ID_Response');
      assert.deepEqual([p.code, p.message, p.clause], ['MALFORMED', 'DPE_Client_ID_Response', 'binding'], JSON.stringify(body));
    }
  });

  it('assert() throws a ProblemError listing every problem', () => {
    const body = { ...withoutIe('DPE_Client_ID_Report', 'User-Identity'), 'Message-ID': 'eight' };
    assert.throws(
      () => strict.assert(body, 'server-to-sp'),
      (e: unknown) => {
        assert.ok(e instanceof ProblemError);
        assert.deepEqual(e.problems.map((p) => [p.code, p.ie]).sort(), [
          ['INVALID_IE', 'Message-ID'],
          ['MISSING_IE', 'User-Identity'],
        ]);
        assert.match(e.message, /DPE_Client_ID_Report: IE User-Identity is missing \(mandatory\) \(clause 6\.3\.7\)/);
        assert.match(e.message, /DPE_Client_ID_Report: IE Message-ID is "eight", expected an integer \(clause 6\.3\.7\)/);
        return true;
      },
    );
  });
});

describe('validator: errata read strictly or leniently', () => {
  const groupReleaseE01 = { 'Message-Type': 'DPE_Group_Release', 'Group-ID': '*', 'Message-ID': 's-2' };
  const policyReleaseE02 = { 'Message-Type': 'DPE_Policy_Release', Policy_ID: '*', 'Message-ID': 's-5' };
  const responseE03 = { 'Message-Type': 'DPE_Client_ID_Query', 'Message-ID': 7, 'Client-ID': null };

  it('E01: Group-ID for Group_ID only when lenient', () => {
    const p = onlyProblem(strict, groupReleaseE01, 'server-to-client');
    assert.deepEqual([p.code, p.message, p.ie, p.clause], ['MISSING_IE', 'DPE_Group_Release', 'Group_ID', '6.2.3.3']);
    assert.deepEqual(lenient.check(groupReleaseE01, 'server-to-client').problems, []);
    // the table spelling stays valid under the lenient reading
    assert.deepEqual(lenient.check(EXAMPLES.DPE_Group_Release, 'server-to-client').problems, []);
  });

  it('E01 lenient: a missing group names both spellings and the erratum', () => {
    const p = onlyProblem(lenient, withoutIe('DPE_Group_Release', 'Group_ID'), 'server-to-client');
    assert.deepEqual([p.code, p.ie], ['MISSING_IE', 'Group_ID']);
    assert.match(p.detail, /Group-ID also accepted, erratum E01/);
  });

  it('E01 lenient: both spellings at once is an error', () => {
    const p = onlyProblem(lenient, { ...EXAMPLES.DPE_Group_Release, 'Group-ID': '*' }, 'server-to-client');
    assert.deepEqual([p.code, p.ie], ['INVALID_IE', 'Group_ID']);
    assert.match(p.detail, /both spellings Group_ID and Group-ID/);
  });

  it('E01 lenient: the other spelling is type-checked too', () => {
    const p = onlyProblem(lenient, { ...groupReleaseE01, 'Group-ID': 3 }, 'server-to-client');
    assert.deepEqual([p.code, p.ie, p.clause], ['INVALID_IE', 'Group-ID', '6.2.3.3']);
  });

  it('E02: Policy_ID for Policy-ID only when lenient', () => {
    const p = onlyProblem(strict, policyReleaseE02, 'server-to-client');
    assert.deepEqual([p.code, p.message, p.ie, p.clause], ['MISSING_IE', 'DPE_Policy_Release', 'Policy-ID', '6.2.6.1']);
    assert.deepEqual(lenient.check(policyReleaseE02, 'server-to-client').problems, []);
  });

  it('E03: DPE_Client_ID_Query as the response Message-Type only when lenient', () => {
    const p = onlyProblem(strict, responseE03, 'server-to-sp', 'DPE_Client_ID_Response');
    // pinned by context: the problem names the message it must be
    assert.deepEqual([p.code, p.message, p.ie, p.clause], ['INVALID_IE', 'DPE_Client_ID_Response', 'Message-Type', '6.3.6.2']);
    assert.match(p.detail, /is "DPE_Client_ID_Query", expected "DPE_Client_ID_Response"/);
    assert.deepEqual(lenient.check(responseE03, 'server-to-sp', 'DPE_Client_ID_Response').problems, []);
    assert.deepEqual(lenient.check(EXAMPLES.DPE_Client_ID_Response, 'server-to-sp').problems, []);
  });

  it('a reading of one erratum does not relax another', () => {
    const onlyE01 = new MessageValidator({ E01: 'lenient' });
    assert.deepEqual(onlyE01.check(groupReleaseE01, 'server-to-client').problems, []);
    assert.equal(onlyE01.check(policyReleaseE02, 'server-to-client').problems[0]?.ie, 'Policy-ID');
    assert.equal(onlyE01.check(responseE03, 'server-to-sp', 'DPE_Client_ID_Response').problems[0]?.ie, 'Message-Type');
  });
});

describe('every schema is a valid JSON Schema (the validators do not check them again: they would compile the meta-schema in every process)', () => {
  const meta = new Ajv({ strict: false });
  const valid = (name: string, schema: object) => assert.ok(meta.validateSchema(schema), `${name}: ${meta.errorsText(meta.errors)}`);

  it('each message under the default readings and with every lenient reading of the catalog', () => {
    const lenient = Object.fromEntries(
      MESSAGES.flatMap((m) => m.ies.flatMap((ie) => (ie.lenient ? [[ie.lenient.erratum, 'lenient' as const]] : []))),
    );
    assert.ok(Object.keys(lenient).length > 0, 'the catalog has lenient readings');
    for (const m of MESSAGES) {
      valid(m.key, messageSchema(m));
      valid(`${m.key} (lenient)`, messageSchema(m, lenient));
    }
  });

  it('the ICS and the IXIT', () => {
    valid('ICS', icsSchema);
    valid('IXIT', ixitSchema);
  });

  it('and the meta-schema check fails a schema that is not one', () => {
    assert.equal(meta.validateSchema({ type: 'no-such-type' }), false);
  });
});
