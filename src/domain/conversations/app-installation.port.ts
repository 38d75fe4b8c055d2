/**
 * The bot's Teams app installed for a person, so it can message someone it has never talked to
 * (a new joiner, an approver who never opened the bot): installs the org-catalog app for the user
 * unless it is there, then answers the id of the bot's 1:1 chat with them.
 * Refusals: DomainError CONVERSATION.APP_NOT_IN_CATALOG (the app is not published to the org
 * catalog), CONVERSATION.INSTALL_FORBIDDEN (no permission, or the user cannot use Teams),
 * CONVERSATION.USER_NOT_FOUND; UPSTREAM.* for outages and throttling.
 */
export interface PersonalChatInstall {
  chatId: string;
  /** False when the app was already installed for the user. */
  installedNow: boolean;
}

export interface AppInstallation {
  ensureInstalledFor(userId: string): Promise<PersonalChatInstall>;
}
