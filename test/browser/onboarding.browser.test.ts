/**
 * Onboarding in the playground, end to end as two people: Alice fills the form (the person and
 * team pickers search as she types), previews and asks; the approval card reaches Bob's chat with
 * the bot; switching to Bob shows his Approve button (his own view of the card), and after he
 * approves, Alice sees the decision and the access being granted.
 */
import { userBySlug } from '../../src/sandbox/seed/demo-org';
import { waitFor } from '../helpers/manual-time';
import { usePlayground } from '../helpers/playground-browser';

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('onboarding approved by the manager, in the playground', () => {
  const world = usePlayground('alice');

  it('Alice asks through the form; Bob approves from his chat; Alice sees the decision', async () => {
    const form = (await world.ui.say('onboard')).getByTestId('card');
    // The pickers are type-ahead (Data.Query): typing sends application/search, and the bot's answers are the choices.
    const pick = async (placeholder: string, typed: string, choice: RegExp) => {
      const input = form.getByPlaceholder(placeholder, { exact: true });
      await input.click();
      await input.pressSequentially(typed);
      await world.ui.page.locator('.ac-choiceSetInput-choice').filter({ hasText: choice }).first().click();
    };
    await pick('Type a name or userPrincipalName', 'henr', /Henry Joiner/);
    await pick('Type part of the team name', 'paym', /Payments/);
    await form.getByLabel(/^Role/).selectOption({ index: 1 });
    await form.getByLabel(/First day/).fill(inDays(5));
    await world.ui.screenshot('onboarding-form-filled', form);
    await world.ui.button(form, 'Preview').click();

    const preview = world.ui.botCards().filter({ hasText: /Henry Joiner/ }).filter({ has: world.ui.page.locator('button.ac-pushButton', { hasText: /Ask .* to approve/ }) }).last();
    await preview.waitFor().catch(async (e) => {
      await world.ui.screenshot('debug-onboarding');
      console.log((await world.ui.inspectorText()).slice(0, 3000));
      throw e;
    });
    await world.ui.screenshot('onboarding-preview', preview);
    await world.ui.button(preview, /Ask .* to approve/).click();
    // Alice's own view of the request: she may cancel it, never approve it.
    await world.ui.botCards().filter({ hasText: /Henry Joiner/ }).filter({ has: world.ui.page.locator('button.ac-pushButton', { hasText: 'Cancel request' }) }).first().waitFor();
    expect(await world.ui.page.locator('#messages button.ac-pushButton', { hasText: /^Approve$/ }).count()).toBe(0);

    await world.ui.be('bob');
    await world.ui.openPersonalChat('bob');
    const approval = world.ui.botCards().filter({ hasText: /Henry Joiner/ }).last();
    await world.ui.button(approval, /^Approve$/).waitFor();
    await world.ui.screenshot('onboarding-approval-as-manager', approval);
    await world.ui.button(approval, /^Approve$/).click();
    await approval.filter({ hasText: /Approved by Bob Manager/ }).waitFor();

    const henry = userBySlug('henry');
    const job = await waitFor(async () => {
      const j = await world.bot.running.connection.db!.collection('jobs').findOne({ type: 'onboarding.provision' });
      return j?.status === 'succeeded' ? j : null;
    }, 'the onboarding job', 60_000);
    expect(job.status).toBe('succeeded');
    await world.ui.screenshot('onboarding-approved-as-manager', approval);

    await world.ui.be('alice');
    await world.ui.openPersonalChat('alice');
    await world.ui.botMessages().filter({ hasText: /Bob Manager approved|approved by Bob Manager|Approved by Bob Manager/i }).last().waitFor();
    await world.ui.screenshot('onboarding-requester-sees-decision');
    expect(henry.id).toBeTruthy();
  }, 120_000);
});
