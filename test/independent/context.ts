// What every procedure works with: the retained state, the switches and the message builders.
import type { Messages } from './messages';
import type { Store } from './store';
import type { Flags } from './types';
import type { ClientIdPolicy } from './variants';

export interface Ctx {
  policy: ClientIdPolicy;
  store: Store;
  flags: Flags;
  messages: Messages;
}
