/** The ConversationDirectory contract on MongoConversationDirectory (the run's store, a database per test). */
import { randomUUID } from 'node:crypto';
import { MongoConversationDirectory } from '../../src/adapters/mongo/mongo-conversation-directory.adapter';
import { connectMongo } from '../../src/adapters/mongo/mongo-connection';
import { conversationDirectoryContract } from '../contracts/conversation-directory.contract';

conversationDirectoryContract('MongoDB', async () => {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: the jest global setup starts the store');
  const conn = await connectMongo(uri, `t_conv_${randomUUID().replace(/-/g, '').slice(0, 12)}`);
  return {
    directory: new MongoConversationDirectory(conn),
    close: async () => {
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    },
  };
});
