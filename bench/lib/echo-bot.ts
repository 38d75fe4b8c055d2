/**
 * The bare framework, for comparison: restify + CloudAdapter + an ActivityHandler that echoes.
 * Same body parser and limits as the real bot; no store, no router, no cards.
 */
import restify from 'restify';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const bot = new ActivityHandler();
bot.onMessage(async (turn, next) => {
  await turn.sendActivity(`Echo: ${turn.activity.text}`);
  await next();
});

const server = restify.createServer();
server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (turn) => bot.run(turn));
});
server.get('/readyz', async (_req, res) => {
  res.send(200, { status: 'ready' });
});
server.listen(Number(process.env.PORT ?? 3979), '127.0.0.1', () => process.send?.('ready'));
