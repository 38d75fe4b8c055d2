/**
 * Talking to the sandbox bot about repositories as Teams does: messages whose replies go to the
 * Bot Connector stand-in (so cards get message ids), Action.Submit form posts, Action.Execute
 * clicks carrying the card's message id (replyToId), and waits for a card to reach a state.
 */
import path from 'node:path';
import { FileDescriptorSource } from '../../src/adapters/files/file-descriptor-source.adapter';
import { MongoAuditLog } from '../../src/adapters/mongo/mongo-audit-log.adapter';
import { MongoCatalogStore } from '../../src/adapters/mongo/mongo-catalog-store.adapter';
import { CatalogImportService } from '../../src/domain/catalog/catalog-import.service';
import type { StoredActivity } from '../../src/sandbox/standins/bot-connector.standin';
import { personalChat, type HttpResult, type TestBot } from './bot-harness';
import { userBySlug } from '../../src/sandbox/seed/demo-org';

export const SEED_CATALOG = path.join(__dirname, '../../src/sandbox/seed/catalog');

/** The demo catalog (teams, people, services) into the bot's store. */
export async function seedCatalog(bot: TestBot): Promise<void> {
  const conn = bot.running.connection;
  const service = new CatalogImportService({ store: new MongoCatalogStore(conn), audit: new MongoAuditLog(conn), descriptors: new FileDescriptorSource() });
  await service.importLocations([SEED_CATALOG]);
}

export class RepoChat {
  constructor(
    readonly bot: TestBot,
    readonly as: string,
  ) {}

  get conversationId(): string {
    return personalChat(userBySlug(this.as)).id;
  }

  get connector() {
    return this.bot.running.sandbox!.connector;
  }

  activities(): StoredActivity[] {
    return this.connector.activities(this.conversationId);
  }

  /** Sends a message; returns what the bot posted in reply (read from the connector). */
  async say(text: string): Promise<StoredActivity[]> {
    const before = this.activities().length;
    await this.bot.say(text, { as: this.as, deliveryMode: 'normal' });
    return this.activities().slice(before);
  }

  /** An Action.Submit of a form card: a message with `value` and no text. */
  async submit(value: Record<string, unknown>): Promise<StoredActivity[]> {
    const before = this.activities().length;
    const res = await this.bot.post(this.bot.activity('message', { as: this.as, deliveryMode: 'normal' }, { value }));
    if (res.status !== 200) throw new Error(`submit answered ${res.status}: ${res.text}`);
    return this.activities().slice(before);
  }

  /** An Action.Execute click on the card in message `cardId`, by `as` (default: this chat's user). */
  execute(verb: string, data: Record<string, unknown>, cardId: string | undefined, as = this.as): Promise<HttpResult> {
    return this.bot.execute(verb, data, { as, conversation: personalChat(userBySlug(this.as)), extra: { ...(cardId ? { replyToId: cardId } : {}) } });
  }

  card(id: string): StoredActivity | undefined {
    return this.activities().find((a) => a.id === id);
  }

  /** Waits until the message `id` holds a card whose JSON matches `pattern`. */
  async waitForCard(id: string, pattern: RegExp, timeoutMs = 15_000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const content = this.card(id)?.attachments?.[0]?.content;
      if (content && pattern.test(JSON.stringify(content))) return content;
      if (Date.now() > deadline) throw new Error(`card ${id} never matched ${pattern}: ${JSON.stringify(content)?.slice(0, 600)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

export const cardOf = (a: StoredActivity | undefined): any => a?.attachments?.[0]?.content; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The preview's request id, from its Confirm button (or its refresh action). */
export function requestIdOf(card: unknown): string {
  const m = /"requestId":"([0-9a-f]{24})"/.exec(JSON.stringify(card));
  if (!m) throw new Error(`no request id in ${JSON.stringify(card).slice(0, 300)}`);
  return m[1]!;
}
