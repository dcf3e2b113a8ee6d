/** docs/messages.md, from src/catalog/messages.ts: every message of the wire binding with its IEs. */
import type { IeDef, MessageDef } from '../src/catalog/messages';
import { MESSAGES } from '../src/catalog/messages';
import { anchor, header, table } from './gen-docs-markdown';

function lenientInWords(ie: IeDef): string {
  const l = ie.lenient;
  if (!l) return '';
  const parts: string[] = [];
  if (l.name) parts.push(`name \`${l.name}\``);
  if (l.value) parts.push(`value \`${l.value}\``);
  return `${parts.join(', ')} (${l.erratum} lenient)`;
}

function ieType(ie: IeDef): string {
  return ie.type === 'Bag' ? 'Bag (string)' : ie.type;
}

export function renderMessages(messages: readonly MessageDef[] = MESSAGES): string {
  const out: string[] = [];
  out.push(header('src/catalog/messages.ts'));
  out.push('# Messages\n');
  out.push(
    'Every message of the wire binding with its information elements (IEs). Property names on the ' +
      'wire are the IE names below; `Bag (string)` is a JSON array of strings; "null" means JSON null ' +
      'is allowed; "`*`" means the value `*` stands for "all". The lenient column gives the other ' +
      'spelling or value accepted when the named erratum is read leniently ([errata.md](errata.md)).\n',
  );
  out.push(
    table(
      ['message', 'interface', 'direction', 'clause'],
      messages.map((m) => [`[${m.key}](#${anchor(m.key)})`, m.interface, m.direction, m.clause]),
    ),
  );
  for (const m of messages) {
    out.push(`## ${m.key}\n`);
    out.push(`${m.summary}\n`);
    out.push(`- **Message-Type:** \`${m.type}\``);
    out.push(`- **Interface:** ${m.interface}`);
    out.push(`- **Direction:** ${m.direction}`);
    out.push(`- **Clause:** ${m.clause}\n`);
    out.push(
      table(
        ['IE', 'req', 'type', 'null', 'wildcard', 'lenient', 'description'],
        m.ies.map((ie) => [
          `\`${ie.name}\``,
          ie.required ? 'M' : 'O',
          ieType(ie),
          ie.nullable ? 'yes' : '',
          ie.wildcard ? '`*`' : '',
          lenientInWords(ie),
          ie.value !== undefined && !ie.description.includes(ie.value) ? `${ie.description} (value \`${ie.value}\`)` : ie.description,
        ]),
      ),
    );
  }
  return out.join('\n');
}
