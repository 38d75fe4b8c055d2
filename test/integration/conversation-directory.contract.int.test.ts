/** The ConversationDirectory contract on MongoConversationDirectory (the run's store, a database per test). */
import { MongoConversationDirectory } from '../../src/adapters/mongo/mongo-conversation-directory.adapter';
import { conversationDirectoryContract } from '../contracts/conversation-directory.contract';
import { openTestDatabase } from '../helpers/test-database';

conversationDirectoryContract('MongoDB', async () => {
  const { conn, close } = await openTestDatabase('conv');
  return { directory: new MongoConversationDirectory(conn), close };
});
