/**
 * The protocol as static types, derived from the one catalog (messages.ts): a type per message
 * (its IEs, which are mandatory, the type and fixed value of each), the IE names as constants,
 * and the builders and readers every party uses. Nothing here restates a message: change the
 * catalog and the compiler names every builder or reader it breaks (docs/decisions/0011-typed-protocol.md).
 */
import type { CATALOG, Direction } from './messages';
import { MESSAGES, RELEASE_MESSAGES, SET_MESSAGES } from './messages';

type Def = (typeof CATALOG)[number];
/** A catalog key: the Message-Type, plus `@DPE-2` where the same type also exists on DPE-1. */
export type MessageKey = Def['key'];
export type MessageType = Def['type'];
type DefOf<K extends MessageKey> = Extract<Def, { key: K }>;
type IeOf<K extends MessageKey> = DefOf<K>['ies'][number];
type LenientName<I> = I extends { lenient: { name: infer N extends string } } ? N : never;

/** The catalog keys of the messages that travel in `D`. */
export type KeyIn<D extends Direction> = Extract<Def, { direction: D }>['key'];

/** The keys of `T` but `U`, where every key of `U` must be one of `T` (Exclude alone accepts a misspelt one). */
export type Without<T extends MessageKey, U extends T> = Exclude<T, U>;

/** The server-to-client messages delivered to a client's Notify-URI (the registration response is an HTTP answer). */
export type NotificationKey = Without<KeyIn<'server-to-client'>, 'DPE_Registration_Response'>;

/** The releases and the sets of a device change (8.2.2), by Message-Type. */
export type ReleaseType = (typeof RELEASE_MESSAGES)[number];
export type SetType = (typeof SET_MESSAGES)[number];
export const isReleaseType = (t: unknown): t is ReleaseType => (RELEASE_MESSAGES as readonly unknown[]).includes(t);
export const isSetType = (t: unknown): t is SetType => (SET_MESSAGES as readonly unknown[]).includes(t);

/** Reporting policy value of DPE_*_Policy_Set (IE type Policy). */
export type PolicyValue = { Trigger: 'on-change' } | { Trigger: 'periodic'; Period: number };

type BaseValue<T> = T extends 'String' ? string : T extends 'Integer' ? number : T extends 'Bag' ? string[] : PolicyValue;
type ValueOf<I> = I extends { value: infer V extends string }
  ? V
  : BaseValue<I extends { type: infer T } ? T : never> | (I extends { nullable: true } ? null : never);
type Simplify<T> = { [P in keyof T]: T[P] } & {};

type Shape<K extends MessageKey> = Simplify<
  { [I in IeOf<K> as I extends { required: true } ? I['name'] : never]: ValueOf<I> } & {
    [I in IeOf<K> as I extends { required: true } ? never : I['name']]?: ValueOf<I>;
  }
>;

/** A message as the catalog defines it (strict reading of every erratum); a union for a union of keys. */
export type Message<K extends MessageKey> = K extends MessageKey ? Shape<K> : never;

/** Every message that travels in `D`, told apart by its Message-Type. */
export type MessageIn<D extends Direction> = Message<KeyIn<D>>;

/** What a sender gives of message `K`: every IE but the Message-Type (from the catalog) and the Message-ID (its counter). */
export type Content<K extends MessageKey> = Omit<Message<K>, 'Message-Type' | 'Message-ID'>;

/** A message before its sender numbers it (the server's outbox gives server-to-client and report Message-IDs). */
export type Unnumbered<K extends MessageKey> = K extends MessageKey ? Omit<Message<K>, 'Message-ID'> : never;

/**
 * A body received as message `K` and not yet judged: only the IE names the catalog gives it
 * (either spelling where an erratum has two), each of unknown value until a check reads it.
 */
export type Received<K extends MessageKey> = { readonly [N in IeOf<K>['name'] | LenientName<IeOf<K>>]?: unknown };

/** Every IE name of the catalog, lenient spellings included. */
export type IeName = { [K in MessageKey]: IeOf<K>['name'] | LenientName<IeOf<K>> }[MessageKey];
type Ident<S extends string> = S extends `${infer A}-${infer B}` ? `${A}${Ident<B>}` : S;

const names = [
  ...new Set(MESSAGES.flatMap((m) => m.ies.flatMap((ie) => [ie.name, ...(ie.lenient?.name ? [ie.lenient.name] : [])]))),
] as IeName[];

/**
 * The IE names, each under its name without hyphens: `IE.ClientID` is "Client-ID", and the two
 * spellings the CR uses stay apart (`IE.Group_ID` "Group_ID", `IE.GroupID` "Group-ID").
 */
export const IE = Object.freeze(Object.fromEntries(names.map((n) => [n.replace(/-/g, ''), n]))) as {
  readonly [N in IeName as Ident<N>]: N;
};
if (Object.keys(IE).length !== names.length) throw new Error('message catalog: two IE names differ only in their hyphens');

/** The discriminant of every message, as a constant so that `body[MESSAGE_TYPE] === …` narrows a union. */
export const MESSAGE_TYPE = IE.MessageType;

const typeOfKey = new Map(MESSAGES.map((m) => [m.key, m.type]));

/** Message `key` with its Message-Type from the catalog and the other IEs as given. */
export function message<K extends MessageKey>(key: K, ies: Omit<Message<K>, 'Message-Type'>): Message<K> {
  return { [MESSAGE_TYPE]: typeOfKey.get(key), ...ies } as unknown as Message<K>;
}

/** Like message(), for a message whose sender's outbox gives it its Message-ID. */
export function unnumbered<K extends MessageKey>(key: K, ies: Content<K>): Unnumbered<K> {
  return { [MESSAGE_TYPE]: typeOfKey.get(key), ...ies } as unknown as Unnumbered<K>;
}

/** `m` with the Message-ID its sender's outbox gives it (added last, as on the wire until now). */
export function numbered<M extends object, I extends string | number>(m: M, id: I): M & { [P in typeof IE.MessageID]: I } {
  return { ...m, [IE.MessageID]: id } as M & { [P in typeof IE.MessageID]: I };
}

/** The IEs of `body`, received as message `key` (an empty set for a body that is not a JSON object). */
export function received<K extends MessageKey>(_key: K, body: unknown): Received<K> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Received<K>) : {};
}

/** The Message-Type of any body, if it has a string one. */
export function messageTypeOf(body: unknown): string | undefined {
  const t = (body as Record<string, unknown> | null)?.[MESSAGE_TYPE];
  return typeof t === 'string' ? t : undefined;
}

declare const MALFORMED: unique symbol;
/**
 * A body that breaks the catalog on purpose: what the deliberately faulty servers
 * (src/server/variants/) and the bad-input checks send. The types that may carry a wrong body
 * (the server's outbound messages, the harness's bad requests) accept it beside the typed
 * messages, and only malformed() makes one, so that being wrong is always explicit.
 */
export type Malformed = Readonly<Record<string, unknown>> & { readonly [MALFORMED]: true };

/** Marks `body` as deliberately outside the catalog (see Malformed). */
export function malformed(body: Readonly<Record<string, unknown>>): Malformed {
  return body as Malformed;
}
