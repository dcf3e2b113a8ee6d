/**
 * The typed protocol (src/catalog/protocol.ts): the IE constants are exactly the catalog's names,
 * every message the builders make passes the validator built from the same catalog, readers
 * never throw on what arrives, and a body outside the catalog compiles only through malformed()
 * (the `@ts-expect-error` lines fail `npm run typecheck` the day the types stop rejecting them).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MESSAGES, RELEASE_MESSAGES, SET_MESSAGES } from '../../src/catalog/messages';
import type { Message, MessageIn, MessageKey, Unnumbered } from '../../src/catalog/protocol';
import {
  IE,
  isReleaseType,
  isSetType,
  malformed,
  message,
  MESSAGE_TYPE,
  messageTypeOf,
  numbered,
  received,
  unnumbered,
} from '../../src/catalog/protocol';
import { MessageValidator } from '../../src/catalog/validate';
import type { ClientMessage } from '../../src/server/procedures/device-change';

const valid = new MessageValidator();

/** One message per catalog key, built through the typed builders: a catalog change that breaks one fails to compile. */
const BUILT: { [K in MessageKey]: Message<K> } = {
  DPE_Registration_Request: message('DPE_Registration_Request', {
    [IE.MessageID]: 'r-1',
    [IE.NotifyURI]: 'http://127.0.0.1:9/d',
    [IE.DeviceIdentity]: '356938035643809',
  }),
  DPE_Registration_Response: message('DPE_Registration_Response', { [IE.MessageID]: 'r-1', [IE.ClientID]: 'c-1' }),
  DPE_Group_Set: numbered(unnumbered('DPE_Group_Set', { [IE.GroupID]: 'g1', [IE.Properties]: ['cell'] }), 's-1'),
  DPE_Group_Release: numbered(unnumbered('DPE_Group_Release', { [IE.Group_ID]: '*' }), 's-2'),
  DPE_Property_Policy_Set: numbered(
    unnumbered('DPE_Property_Policy_Set', { [IE.PolicyID]: 'p1', [IE.Property]: 'cell', [IE.Policy]: { Trigger: 'on-change' } }),
    's-3',
  ),
  DPE_Group_Policy_Set: numbered(
    unnumbered('DPE_Group_Policy_Set', { [IE.PolicyID]: 'p2', [IE.GroupID]: 'g1', [IE.Policy]: { Trigger: 'periodic', Period: 60 } }),
    's-4',
  ),
  DPE_Policy_Release: numbered(unnumbered('DPE_Policy_Release', { [IE.PolicyID]: '*' }), 's-5'),
  DPE_Registration_Trigger: numbered(unnumbered('DPE_Registration_Trigger', {}), 's-6'),
  DPE_Client_ID_Query: message('DPE_Client_ID_Query', { [IE.MessageID]: 7, [IE.QueryKey]: 'tel:+15550000001' }),
  DPE_Client_ID_Response: message('DPE_Client_ID_Response', { [IE.MessageID]: 7, [IE.ClientID]: null }),
  DPE_Client_ID_Report: numbered(unnumbered('DPE_Client_ID_Report', { [IE.UserIdentity]: null, [IE.ClientID]: ['c-1'] }), 8),
  'DPE_Group_Set@DPE-2': message('DPE_Group_Set@DPE-2', {
    [IE.MessageID]: 9,
    [IE.UserIdentity]: 'tel:+1',
    [IE.GroupID]: 'g1',
    [IE.Properties]: ['cell'],
  }),
  'DPE_Property_Policy_Set@DPE-2': message('DPE_Property_Policy_Set@DPE-2', {
    [IE.MessageID]: 10,
    [IE.UserIdentity]: 'tel:+1',
    [IE.PolicyID]: 'p1',
    [IE.Property]: 'cell',
    [IE.Policy]: { Trigger: 'on-change' },
  }),
  'DPE_Group_Policy_Set@DPE-2': message('DPE_Group_Policy_Set@DPE-2', {
    [IE.MessageID]: 11,
    [IE.UserIdentity]: 'tel:+1',
    [IE.PolicyID]: 'p2',
    [IE.GroupID]: 'g1',
    [IE.Policy]: { Trigger: 'periodic', Period: 3600 },
  }),
};

describe('typed protocol', () => {
  it('names every IE of the catalog, lenient spellings included, and nothing else', () => {
    const names = new Set(MESSAGES.flatMap((m) => m.ies.flatMap((ie) => [ie.name, ...(ie.lenient?.name ? [ie.lenient.name] : [])])));
    assert.deepEqual(new Set(Object.values(IE)), names);
    assert.equal(IE.Group_ID, 'Group_ID');
    assert.equal(IE.GroupID, 'Group-ID');
    assert.equal(MESSAGE_TYPE, 'Message-Type');
    assert.ok(Object.isFrozen(IE));
  });

  it('builds every catalog message so that the catalog validator accepts it, with its Message-Type from the catalog', () => {
    for (const def of MESSAGES) {
      const body = BUILT[def.key as MessageKey];
      assert.equal(body[MESSAGE_TYPE], def.type, def.key);
      assert.deepEqual(valid.check(body, def.direction, def.key).problems, [], def.key);
    }
  });

  it('puts the Message-Type first and a Message-ID the outbox gives last', () => {
    const m = numbered(unnumbered('DPE_Group_Set', { [IE.GroupID]: 'g', [IE.Properties]: [] }), 's-1');
    assert.deepEqual(Object.keys(m), ['Message-Type', 'Group-ID', 'Properties', 'Message-ID']);
  });

  it('reads a body that arrived without trusting it', () => {
    assert.deepEqual(received('DPE_Client_ID_Report', 'not json'), {});
    assert.deepEqual(received('DPE_Client_ID_Report', null), {});
    assert.deepEqual(received('DPE_Client_ID_Report', [1]), {});
    assert.equal(received('DPE_Client_ID_Report', { 'Client-ID': 5 })[IE.ClientID], 5);
    assert.equal(messageTypeOf({ 'Message-Type': 7 }), undefined);
    assert.equal(messageTypeOf({ 'Message-Type': 'DPE_Group_Set' }), 'DPE_Group_Set');
  });

  it('tells the releases and the sets of a device change apart', () => {
    for (const t of RELEASE_MESSAGES) assert.ok(isReleaseType(t) && !isSetType(t));
    for (const t of SET_MESSAGES) assert.ok(isSetType(t) && !isReleaseType(t));
    assert.ok(!isReleaseType('DPE_Client_ID_Report') && !isSetType(undefined));
  });

  it('narrows a received union by its Message-Type', () => {
    const m = BUILT['DPE_Group_Policy_Set@DPE-2'] as MessageIn<'sp-to-server'>;
    assert.ok(m[MESSAGE_TYPE] === 'DPE_Group_Policy_Set' && m[IE.Policy].Trigger === 'periodic');
  });

  it('rejects a body outside the catalog unless it is marked malformed', () => {
    // @ts-expect-error E01: the table spells the IE Group_ID
    const hyphen: Unnumbered<'DPE_Group_Release'> = unnumbered('DPE_Group_Release', { [IE.GroupID]: '*' });
    // @ts-expect-error a DPE-2 report's Message-ID is an integer
    const stringId: Message<'DPE_Client_ID_Report'> = numbered(
      unnumbered('DPE_Client_ID_Report', { [IE.UserIdentity]: null, [IE.ClientID]: null }),
      'r-1',
    );
    // @ts-expect-error Client-ID is mandatory in the answer
    const noId: Message<'DPE_Registration_Response'> = message('DPE_Registration_Response', { [IE.MessageID]: 'r-1' });
    // @ts-expect-error an untyped body is not a client message
    const untyped: ClientMessage = { 'Message-Type': 'DPE_Group_Release', 'Group-ID': '*' };
    const marked: ClientMessage = malformed({ [MESSAGE_TYPE]: 'DPE_Group_Release', [IE.GroupID]: '*' });
    // the types reject them; the validator rejects them too
    for (const [body, key] of [
      [hyphen, 'DPE_Group_Release'],
      [stringId, 'DPE_Client_ID_Report'],
      [noId, 'DPE_Registration_Response'],
      [untyped, 'DPE_Group_Release'],
      [marked, 'DPE_Group_Release'],
    ] as const) {
      const def = MESSAGES.find((m) => m.key === key)!;
      assert.notDeepEqual(valid.check(body, def.direction, key).problems, [], key);
    }
  });
});
