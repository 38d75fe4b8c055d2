/** The ConversationDirectory contract on the in-memory fake (MongoDB: test/integration/conversation-directory.contract.int.test.ts). */
import { conversationDirectoryContract } from '../contracts/conversation-directory.contract';
import { InMemoryConversationDirectory } from '../fakes/in-memory-conversation-directory';

conversationDirectoryContract('in memory', async () => ({ directory: new InMemoryConversationDirectory(), close: async () => undefined }));
