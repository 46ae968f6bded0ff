// The inbox from the command line (issue 11): `inbox` lists (or watches) what waits on a human, and
// `allow`, `deny`, `answer` and `dismiss` answer it.
import type { Command } from 'commander';
import {
  HubError,
  type HubClient,
  type InboxAnswer,
  type InboxChanged,
  type InboxItem,
} from '../src-protocol/index.js';
import { withHub } from './hubAction.js';
import { printJson, table } from './output.js';

const ago = (since: string, now = Date.now()) => {
  const seconds = Math.max(0, Math.round((now - Date.parse(since)) / 1000));
  return seconds < 90
    ? `${seconds}s`
    : seconds < 5400
      ? `${Math.round(seconds / 60)}m`
      : `${Math.round(seconds / 3600)}h`;
};

const HOW = {
  permission: 'allow ID [--always] | deny ID [--message TEXT]',
  dialog: 'answer ID CHOICE (its number or words)',
  question: 'answer ID TEXT',
  review: 'answer ID merge|rebase|discard',
  fault: 'dismiss ID (after fixing what it says)',
} as const;

export function inboxTable(items: InboxItem[]): string {
  if (items.length === 0) return 'Nothing waits on you.\n';
  const rows = items.map((item) => [
    item.id,
    item.kind + (item.readOnly ? ' (read-only)' : ''),
    item.sessionName,
    ago(item.since),
    item.title,
  ]);
  const kinds = [...new Set(items.filter((item) => !item.readOnly).map((item) => item.kind))];
  const hints = kinds.map((kind) => `  switchboard ${HOW[kind]}`).join('\n');
  return (
    table([['ID', 'KIND', 'SESSION', 'WAITING', 'WHAT'], ...rows]) + (hints ? `Answer with:\n${hints}\n` : '')
  );
}

function changeLine(change: InboxChanged): string {
  const { item } = change;
  if (change.kind !== 'removed')
    return `${change.kind}  ${item.id}  ${item.kind}  ${item.sessionName}  ${item.title}\n`;
  const by = change.answeredBy ? ` by ${change.answeredBy.name}` : '';
  return `removed  ${item.id}  ${change.reason ?? 'gone'}${by}\n`;
}

/** Lists, then (with --watch) prints each change until interrupted or the hub goes away. */
async function runInbox(client: HubClient, options: { json?: boolean; watch?: boolean }): Promise<void> {
  if (!options.watch) {
    const items = await client.inbox();
    if (options.json) printJson(items);
    else process.stdout.write(inboxTable(items));
    return;
  }
  // Subscribed before listing, so nothing that changes in between is missed.
  client.onMessage((message) => {
    if (message.type !== 'inbox.changed') return;
    process.stdout.write(options.json ? `${JSON.stringify(message)}\n` : changeLine(message));
  });
  const items = await client.inbox();
  if (options.json)
    for (const item of items) process.stdout.write(`${JSON.stringify({ type: 'inbox.item', item })}\n`);
  else process.stdout.write(inboxTable(items));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    client.onClose(() => resolve());
  });
}

/** `answer ID TEXT`: what TEXT means depends on the item (a dialog's choice, a reply, a merge mode). */
export function answerFor(item: InboxItem, text: string, force: boolean): InboxAnswer {
  if (item.kind === 'question') return { action: 'reply', text };
  if (item.kind === 'fault') {
    if (text !== 'dismiss')
      throw new HubError(
        'invalid_message',
        `Answer a fault with dismiss (\`switchboard dismiss ID\`), not "${text}".`,
      );
    return { action: 'dismiss' };
  }
  if (item.kind === 'review') {
    if (text !== 'merge' && text !== 'rebase' && text !== 'discard')
      throw new HubError('invalid_message', `Answer a review with merge, rebase or discard, not "${text}".`);
    return { action: 'merge', mode: text, ...(force ? { force } : {}) };
  }
  if (item.kind === 'dialog') {
    const choices = item.choices ?? [];
    const wanted = text.trim().toLowerCase();
    const choice =
      choices.find((candidate) => candidate.id === text) ??
      choices[Number(wanted) - 1] ??
      choices.find((candidate) => candidate.label.toLowerCase().includes(wanted));
    if (!choice || wanted === '')
      throw new HubError(
        'invalid_message',
        `No choice "${text}"; this dialog offers: ${choices.map((candidate, index) => `${index + 1}. ${candidate.label}`).join(' / ')}.`,
      );
    return { action: 'choose', choice: choice.id };
  }
  throw new HubError(
    'invalid_message',
    'Answer a permission request with `switchboard allow` or `switchboard deny`.',
  );
}

async function answer(
  client: HubClient,
  item: string,
  value: InboxAnswer | ((item: InboxItem) => InboxAnswer),
  json?: boolean,
) {
  let reference = item;
  let chosen: InboxAnswer;
  if (typeof value === 'function') {
    const items = await client.inbox();
    const matches = items.filter((candidate) => candidate.id.startsWith(item));
    if (matches.length !== 1)
      // Let the hub say why (unknown, answered already, ambiguous), with its coded error.
      chosen = { action: 'reply', text: '-' };
    else {
      chosen = value(matches[0]!);
      reference = matches[0]!.id;
    }
  } else chosen = value;
  const result = await client.answer(reference, chosen);
  if (json)
    printJson({
      item: result.item,
      message: result.message,
      ...(result.outcome ? { outcome: result.outcome } : {}),
    });
  else process.stdout.write(`${result.message}\n`);
  if (result.outcome === 'conflict') process.exitCode = 1;
}

export function registerInboxCommands(program: Command): void {
  program
    .command('inbox')
    .description(
      'list what waits on a human: permission requests, dialogs, questions, finished work, worker faults',
    )
    .option('--json', 'print a JSON array of items (with --watch: one JSON object a line)')
    .option('--watch', 'keep printing items as they arrive and leave, until Ctrl-C')
    .addHelpText(
      'after',
      '\nAnswer items with `switchboard allow`, `deny`, `answer` and `dismiss`; IDs may be shortened.',
    )
    .action(withHub((client, options: { json?: boolean; watch?: boolean }) => runInbox(client, options)));

  program
    .command('allow')
    .description('allow a permission request from the inbox')
    .argument('<item>', 'the item id (or a unique prefix)')
    .option('--always', "also allow it from now on in that session (Claude Code's own suggested rule)")
    .option('--json', 'print {item, message}')
    .action(
      withHub((client, item: string, options: { always?: boolean; json?: boolean }) =>
        answer(client, item, { action: 'allow', ...(options.always ? { always: true } : {}) }, options.json),
      ),
    );

  program
    .command('deny')
    .description('deny a permission request from the inbox; the model is told why')
    .argument('<item>', 'the item id (or a unique prefix)')
    .option('--message <text>', 'what to tell the model instead (default: that the user denied it)')
    .option('--json', 'print {item, message}')
    .action(
      withHub((client, item: string, options: { message?: string; json?: boolean }) =>
        answer(
          client,
          item,
          { action: 'deny', ...(options.message ? { message: options.message } : {}) },
          options.json,
        ),
      ),
    );

  program
    .command('answer')
    .description(
      "answer a question (typed into the session), a dialog's choice, or a review (merge|rebase|discard)",
    )
    .argument('<item>', 'the item id (or a unique prefix)')
    .argument(
      '<text>',
      'the reply; for a dialog its choice (number or words); for a review merge, rebase or discard',
    )
    .option('--force', 'for a review: discard even uncommitted work')
    .option('--json', 'print {item, message, outcome?}')
    .action(
      withHub((client, item: string, text: string, options: { force?: boolean; json?: boolean }) =>
        answer(client, item, (found) => answerFor(found, text, options.force === true), options.json),
      ),
    );

  program
    .command('dismiss')
    .description('dismiss a fault from the inbox (a worker that could not start), once it is fixed')
    .argument('<item>', 'the item id (or a unique prefix)')
    .option('--json', 'print {item, message}')
    .action(
      withHub((client, item: string, options: { json?: boolean }) =>
        answer(client, item, { action: 'dismiss' }, options.json),
      ),
    );
}
