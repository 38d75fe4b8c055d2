/** "feedback": tell the platform team something; the dialog asks what and how urgent. */
import type { Feature } from '../../src/bot/feature';
import type { FeedbackService } from '../../src/domain/feedback/feedback.service';
import { FEEDBACK_DIALOG_ID, FeedbackDialog } from './feedback.dialog';

export function feedbackFeature(service: FeedbackService): Feature {
  return {
    name: 'feedback',
    commands: [
      {
        name: 'feedback',
        description: 'Tell the platform team what is missing or broken; I ask what and how urgent.',
        examples: ['feedback', 'feedback the Java skeleton needs Gradle'],
        patterns: [/^feedback(?:\s+(?<text>.+))?$/i],
        changesState: true,
        run: async ({ args }) => ({ beginDialog: FEEDBACK_DIALOG_ID, options: { text: args.text } }),
      },
    ],
    dialogs: [new FeedbackDialog(service)],
  };
}
