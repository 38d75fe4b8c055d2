/**
 * The one table of what a person reads when something is refused or fails: error code ->
 * words (and, for invokes, a status). Services raise DomainErrors with a code and parameters;
 * their `message` is a factual sentence for the logs, shown only where the table says so. Never a
 * stack trace, never a secret; an unexpected failure names a reference the platform team can find.
 */
import { escapeMarkdown } from '../../cards/teams-markdown';
import { DomainError, isDomainError } from '../domain/domain-error';

export interface UserMessage {
  text: string;
  /** The HTTP-like status an invoke (card action, message extension, task module) answers with. */
  status: number;
}

type Params = Record<string, unknown>;
type Render = (params: Params, message: string) => string;

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' || typeof v === 'number' ? escapeMarkdown(String(v)) : fallback);
/** How to start a flow again: the command the refusal names, else create repo's. */
const startAgain = (p: Params): string => `Type **${str(p.startAgain, 'create repo')}** to start again.`;

/** A list of names, escaped ("Ann, Bob or Cy"). */
const names = (v: unknown, fallback: string): string => {
  const list = Array.isArray(v) ? v.map((n) => str(n)).filter(Boolean) : [];
  if (!list.length) return fallback;
  return list.length === 1 ? list[0]! : `${list.slice(0, -1).join(', ')} or ${list.at(-1)}`;
};
/** What an approval request looked for, in words. */
const APPROVER_SOURCES: Record<string, (p: Params) => string> = {
  manager: () => 'the directory names no manager with an enabled account',
  'team-members': (p) => `${str(p.team, 'the team')} has no other member with an enabled account`,
  users: () => 'none of the people named can approve',
};
const approverSources = (p: Params): string => (Array.isArray(p.tried) ? p.tried.map((k) => APPROVER_SOURCES[String(k)]?.(p)).filter(Boolean).join('; ') : '') || 'no approver is configured';

/** Problems as a bulleted list, escaped. */
const bullets = (v: unknown): string => (Array.isArray(v) ? v.map((x) => `- ${str(x)}`).join('\n') : '');

/** The factual message itself (written without chat instructions), escaped. */
const asIs: Render = (_p, m) => escapeMarkdown(m);
/** A factual message as a sentence that the next one can follow (adapters' messages often end without a stop). */
const sentence = (m: string): string => escapeMarkdown(/[.!?]$/.test(m.trim()) ? m.trim() : `${m.trim()}.`);

const BY_CODE: Record<string, { render: Render; status?: number }> = {
  'ACCESS.DENIED': { render: (p, m) => `You are not allowed to do that: ${str(p.reason, escapeMarkdown(m))} Nothing was changed.`, status: 403 },
  'ACCESS.UNVERIFIED_USER': { render: () => 'I make changes only for a person Microsoft Teams signs in. Ask me from Teams; here I can answer questions (who owns, search, help) but change nothing.', status: 403 },
  'UPSTREAM.UNAVAILABLE': { render: (_p, m) => `A service I depend on is not answering right now (${escapeMarkdown(m)}). Please try again in a minute.`, status: 503 },
  'UPSTREAM.THROTTLED': { render: (_p, m) => `A service I depend on is busy (throttled): ${sentence(m)} Please try again in a minute.`, status: 503 },
  'UPSTREAM.FORBIDDEN': { render: (_p, m) => `I lack a permission: ${sentence(m)} Ask the platform team to grant it.`, status: 502 },
  'UPSTREAM.FAILED': { render: (_p, m) => `A service I depend on refused the request: ${escapeMarkdown(m)}`, status: 502 },
  'ONBOARDING.TEAM_NOT_FOUND': { render: () => 'Microsoft Teams has no such team (it may have been deleted or renamed in the catalog). Ask the platform team to check the catalog entry.', status: 404 },
  'ONBOARDING.TARGET_NOT_FOUND': { render: () => 'Microsoft Teams or the directory does not find the person or the team, channel or group (a new one can take a few minutes to appear). Try again in a few minutes.', status: 404 },
  'FEEDBACK.TOO_SHORT': { render: () => 'Please write at least a few words.', status: 400 },
  'FEEDBACK.TOO_LONG': { render: (p) => `Please keep it under ${str(p.max)} characters (yours has ${str(p.length)}).`, status: 400 },
  'FEEDBACK.UNKNOWN_URGENCY': { render: (p) => `"${str(p.urgency)}" is not an urgency I know; pick one of: ${Array.isArray(p.known) ? p.known.map((k) => str(k)).join(', ') : 'low, normal, blocking'}.`, status: 400 },
  'METRICS.NOT_PLATFORM': { render: (p) => `The platform metrics are for the platform team only: ${str(p.reason, 'you are not in a platform group')}. Ask a member of the platform team if you need the figures.`, status: 403 },
  'METRICS.UNVERIFIED_USER': { render: () => 'I show the platform metrics only to a person Microsoft Teams signs in. Ask me from Teams.', status: 403 },
  'METRICS.PERIOD_INVALID': { render: (p) => `I measure periods of 1 to ${str(p.max, '365')} days; "${str(p.days)}" is not one. For example: **platform metrics last 90 days**.`, status: 400 },
  'CATALOG.NOT_READY': { render: () => 'The service catalog is still loading. Please ask again in a few seconds.', status: 503 },
  'CATALOG.INVALID': { render: asIs, status: 400 },
  'CATALOG.NOT_FOUND': { render: asIs, status: 404 },
  'CATALOG.REGISTRATION_FAILED': { render: asIs, status: 400 },
  'REPOS.REQUEST_NOT_FOUND': { render: (p) => `I cannot find that request any more; nothing was created. ${startAgain(p)}`, status: 404 },
  'REPOS.REQUEST_EXPIRED': { render: (p) => `This preview has expired; nothing was created. ${startAgain(p)}`, status: 410 },
  'REPOS.REQUEST_CANCELLED': { render: (p) => `The request for ${str(p.name, 'this repository')} was cancelled; nothing was created. ${startAgain(p)}`, status: 409 },
  'REPOS.ALREADY_CONFIRMED': { render: (p) => `${str(p.project)}/${str(p.name)} is already being created; it can no longer be cancelled.`, status: 409 },
  'REPOS.NOT_REQUESTER': { render: (p) => `Only ${str(p.requester, 'the requester')}, who asked for ${str(p.name, 'it')}, can ${str(p.action, 'do')} it.`, status: 403 },
  'REPOS.UNKNOWN_TEAM': { render: (p) => `"${str(p.team)}" is not a team in the service catalog.`, status: 400 },
  'REPOS.REPOSITORY_EXISTS': {
    render: (p) => `${str(p.project)}/${str(p.name)} was created by someone else after the preview and already has content; I changed nothing in it. Pick another name with **create repo**, or delete that repository and press Retry.`,
    status: 409,
  },
  'REPOS.REPOSITORY_REPLACED': {
    render: (p) => `${str(p.project)}/${str(p.name)}, which this job created, was deleted, and a different repository of that name has been created since (${str(p.differing, 'some')} files differ); I changed nothing in it. Delete or rename that repository and press Retry, or start a new request with another name.`,
    status: 409,
  },
  'REPOS.REPOSITORY_VANISHED': {
    render: (p) => `${str(p.project)}/${str(p.repository)} was deleted after you asked for its pipeline, so I stopped (Retry cannot bring it back). If it exists again, ask afresh: **add pipeline to ${str(p.repository)}**.`,
    status: 410,
  },
  'REPOS.PIPELINE_OF_DELETED_REPOSITORY': {
    render: (p) => `The repository ${str(p.project)}/${str(p.name)} was deleted and made again, but the pipeline "${str(p.pipeline)}" (id ${str(p.pipelineId)}) still builds the deleted one. Delete that pipeline in Azure DevOps and press Retry: I will create it for the new repository.`,
    status: 409,
  },
  'REPOS.UNEXPECTED_CONTENT': {
    render: (p) => `The branch "${str(p.branch)}" of ${str(p.project)}/${str(p.name)} already holds other content (${str(p.differing, 'some')} files differ from the preview); I pushed nothing.`,
    status: 409,
  },
  'JOB.NOT_FOUND': { render: () => 'I cannot find that job any more.', status: 404 },
  'JOB.NOT_RETRYABLE': { render: asIs, status: 409 },
  'JOB.BUSY': { render: () => 'That job kept changing while I tried; please try again.', status: 409 },
  'JOB.STEP_CRASHED': { render: () => 'Something went wrong on my side.', status: 500 },
  'CONVERSATION.BOT_NOT_MEMBER': { render: () => 'Teams no longer lets me post in that conversation (I was removed from the team or the chat, or blocked there). Add me again to hear from me there.', status: 410 },
  'CONVERSATION.NOT_FOUND': { render: () => 'Teams does not know that conversation any more (it was deleted). Nothing was sent there.', status: 410 },
  'CONVERSATION.APP_NOT_IN_CATALOG': { render: () => "I cannot reach people who have not opened me yet: this bot is not published to the organisation's Teams app catalog. Ask the Teams administrators to publish it.", status: 502 },
  'CONVERSATION.INSTALL_FORBIDDEN': { render: () => 'I could not add myself to their Teams (their account cannot use Teams, for example it is disabled or has no Teams licence, or I lack the permission to install the app for people).', status: 502 },
  'CONVERSATION.NO_PERSONAL_CHAT': { render: () => 'They have never opened a chat with me, and I am not set up to add myself to their Teams (Microsoft Graph is not configured), so I could not message them.', status: 409 },
  'CONVERSATION.USER_NOT_FOUND': { render: (p) => `The directory has no such person${p.userId ? ` (${str(p.userId)})` : ''}, so I could not message them.`, status: 404 },
  'DIGEST.ENTITY_GONE': { render: (p) => `${str(p.entity)} is no longer in the catalog (removed or orphaned since this digest was sent), so there is nothing to fix. Nothing was changed.`, status: 410 },
  'DIGEST.CHECK_PASSES': { render: (p) => `${str(p.entity)} already passes "${str(p.rule)}" in the latest health run: this card is older than the fix. Nothing was changed.`, status: 409 },
  'DIGEST.NOT_FIXABLE': { render: (p) => `"${str(p.rule)}" cannot be fixed from the card; its hint says what to change. Snooze it or mark it not applicable instead.`, status: 400 },
  'DIGEST.VALUE_REQUIRED': { render: (p) => `Please fill in the ${str(p.field, 'value')}. Nothing was changed.`, status: 400 },
  'DIGEST.VALUE_TOO_LONG': { render: (p) => `The ${str(p.field, 'value')} is too long (at most ${str(p.max)} characters). Nothing was changed.`, status: 400 },
  'DIGEST.OWNER_UNKNOWN': { render: (p) => `"${str(p.owner)}" is not a group or user in the catalog. Give an owner the catalog knows, e.g. group:default/team-payments. Nothing was changed.`, status: 400 },
  'DIGEST.LIFECYCLE_INVALID': { render: (p) => `"${str(p.value)}" is not a lifecycle I set; pick one of ${str(p.allowed)}. Nothing was changed.`, status: 400 },
  'DIGEST.CONTACT_INVALID': { render: (p) => `"${str(p.value)}" is not an email address. Give the team's email or its Teams channel link (https://teams.microsoft.com/l/channel/...). Nothing was changed.`, status: 400 },
  'DIGEST.ROTATION_INVALID': { render: (p) => `"${str(p.value)}" is not a rotation name (letters, digits, spaces, - . : / ( )) or an https URL. Nothing was changed.`, status: 400 },
  'DIGEST.URL_NOT_HTTPS': { render: (p) => `The ${str(p.field, 'link')} must be an https URL; "${str(p.value)}" is not. Nothing was changed.`, status: 400 },
  'DIGEST.URL_HOST_NOT_ALLOWED': { render: (p) => `The ${str(p.field, 'link')} points to ${str(p.host)}, which is not a host cards may link to (${str(p.allowed)}). Nothing was changed.`, status: 400 },
  'DIGEST.REASON_REQUIRED': { render: (p) => `Please say why this check does not apply (at least ${str(p.min, '3')} characters); the reason is kept with the mark. Nothing was changed.`, status: 400 },
  'DIGEST.REASON_TOO_LONG': { render: (p) => `Please keep the reason under ${str(p.max)} characters (yours has ${str(p.length)}). Nothing was changed.`, status: 400 },
  'DIGEST.REPOSITORY_GONE': { render: (p) => `The repository ${str(p.project)}/${str(p.repository)} that holds this entity's catalog-info.yaml no longer exists (or is empty), so I opened no pull request.`, status: 409 },
  'DIGEST.DESCRIPTOR_GONE': { render: (p) => `${str(p.file)} is no longer on the default branch of ${str(p.project)}/${str(p.repository)}, so I opened no pull request.`, status: 409 },
  'DIGEST.DESCRIPTOR_UNREADABLE': { render: (p) => `I could not read ${str(p.file, 'the descriptor')} as YAML, so I opened no pull request. Fix the file by hand first.`, status: 409 },
  'DIGEST.ENTITY_NOT_IN_FILE': { render: (p) => `${str(p.file)} no longer declares ${str(p.entity)} (moved or renamed since the last import), so I opened no pull request.`, status: 409 },
  'DIGEST.EDIT_INVALID': { render: (p) => `With that change ${str(p.file)} would not validate (${str(p.reason)}), so I opened no pull request.`, status: 400 },
  'DIGEST.ALREADY_IN_FILE': { render: (p) => `${str(p.file)} already says that on its default branch; the catalog shows it after the next import. Nothing was changed.`, status: 409 },
  'DIGEST.DELIVERY_FAILED': { render: (p) => `${str(p.failed)} team digest(s) could not be delivered; a re-run sends only those.`, status: 502 },
  'APPROVALS.NO_APPROVER': { render: (p) => `I found nobody but you who can approve this (${approverSources(p)}), so I asked no one. Nothing was requested; ask the platform team who should approve it.`, status: 409 },
  'APPROVALS.NOT_FOUND': { render: () => 'I cannot find that approval request any more. Nothing was changed.', status: 404 },
  'APPROVALS.STALE': { render: (p) => `"${str(p.title, 'This request')}" is already ${str(p.state, 'closed')}${p.by ? ` (by ${str(p.by)})` : ''}, so it can no longer be approved, rejected or cancelled. Nothing was changed.`, status: 409 },
  'APPROVALS.SELF_APPROVAL': { render: (p) => `You asked for "${str(p.title, 'this')}", so you cannot approve or reject it yourself; one of its approvers decides. You can cancel it.`, status: 403 },
  'APPROVALS.NOT_APPROVER': { render: (p) => `Only ${names(p.approvers, 'its approvers')} can approve or reject "${str(p.title, 'this request')}". Nothing was changed.`, status: 403 },
  'APPROVALS.NOT_REQUESTER': { render: (p) => `Only ${str(p.requester, 'the requester')}, who asked for "${str(p.title, 'it')}", can cancel it.`, status: 403 },
  'APPROVALS.COMMENT_TOO_LONG': { render: (p) => `Please keep the comment under ${str(p.max)} characters (yours has ${str(p.length)}). Nothing was decided yet.`, status: 400 },
  'APPROVALS.BUSY': { render: () => 'That request kept changing while I tried; please try again.', status: 409 },
  'ONBOARDING.REQUEST_INVALID': { render: (p) => `I cannot ask for that yet:\n\n${bullets(p.problems)}\n\nNothing was requested.`, status: 400 },
  'ONBOARDING.NOT_ALLOWED': { render: (p) => `${str(p.reason, 'You may not ask for this.')} Nothing was requested.`, status: 403 },
  'ONBOARDING.ALREADY_ONBOARDED': { render: (p) => `${str(p.person, 'They')} is already onboarded to ${str(p.team, 'that team')} (approved by ${str(p.approvedBy, 'an approver')} on ${str(p.since, 'an earlier day')}). Nothing was requested.`, status: 409 },
  'ONBOARDING.NO_APPROVER': { render: (p) => `Nobody but you can approve this for ${str(p.person, 'that person')} in ${str(p.team, 'that team')}: the directory names no other manager, the catalog no other team lead, and you have no manager either. Nothing was requested; ask the platform team.`, status: 409 },
  'ONBOARDING.TEAM_NOT_CONNECTED': { render: (p) => `The catalog entry of ${str(p.team, 'that team')} names no Microsoft Teams team (annotation graph.microsoft.com/group-id), so I cannot give anyone access to it. Ask the team to add it to their catalog-info.yaml. Nothing was requested.`, status: 409 },
  'ONBOARDING.RETRY_NOT_ALLOWED': { render: (p) => `Only the approver, the requester or the manager can retry the onboarding of ${str(p.person, 'this person')}.`, status: 403 },
  'ONBOARDING.NOTHING_TO_REMOVE': { render: (p) => `${str(p.person, 'They')} has none of the access ${str(p.team, 'that team')} gives any more: there is nothing to remove. Nothing was requested.`, status: 409 },
  // Onboarding: Azure DevOps access (the user-entitlements adapter).
  'ONBOARDING.DEVOPS_PROJECT_NOT_FOUND': { render: (p) => `Azure DevOps has no project "${str(p.project)}", so I could not give access to it. Ask the platform team to fix the team's Azure DevOps settings.`, status: 404 },
  'ONBOARDING.DEVOPS_USER_REFUSED': { render: (p) => `Azure DevOps would not give ${str(p.principalName, 'this person')} access: ${str(p.reason, 'no reason given')} Ask the platform team (an Azure DevOps organisation administrator) to look.`, status: 409 },
  // Onboarding: settings, the welcome card's checklist and its dev container pull request.
  'ONBOARDING.SETTINGS_INVALID': { render: (p) => `The onboarding settings file ${str(p.file)} is invalid: ${Array.isArray(p.problems) ? p.problems.map((x) => str(x)).join('; ') : 'unreadable'}.`, status: 500 },
  'ONBOARDING.UNKNOWN_ROLE': { render: (p) => `There is no onboarding role ${str(p.role)}. Roles: ${Array.isArray(p.roles) && p.roles.length ? p.roles.map((r) => str(r)).join(', ') : 'none configured'}.`, status: 400 },
  'ONBOARDING.TEAM_NOT_IN_CATALOG': { render: (p) => `${str(p.team, 'That team')} is no longer a team in the catalog, so I cannot show its docs and repositories.`, status: 404 },
  'ONBOARDING.RECORD_NOT_FOUND': { render: () => 'I cannot find that onboarding any more. Nothing was changed.', status: 404 },
  'ONBOARDING.NOT_JOINER': { render: (p) => `Only ${str(p.joiner, 'the joiner')} can tick this checklist or open its dev container; you can follow their progress here. Nothing was changed.`, status: 403 },
  'ONBOARDING.CLOSED': { render: (p) => `${str(p.joiner, 'This person')}'s onboarding to ${str(p.team, 'the team')} is closed (offboarded). Nothing was changed.`, status: 409 },
  'ONBOARDING.REPOSITORY_NOT_IN_TEAM': { render: (p) => `${str(p.repository)} is not one of ${str(p.team, 'the team')}'s repositories in the catalog (${names(p.repositories, 'it lists none')}). Nothing was opened.`, status: 400 },
  'ONBOARDING.REPOSITORY_GONE': { render: (p) => `${str(p.repository)} no longer exists or has no commits, so I opened no pull request.`, status: 409 },
  'ONBOARDING.DEVCONTAINER_EXISTS': { render: (p) => `${str(p.repository)} already has ${str(p.file, 'a devcontainer.json')}: open the repository in a dev container as it is. I opened no pull request.`, status: 409 },
  // Secrets (create secret): never a value in any of these.
  'SECRETS.REQUEST_INVALID': { render: (p) => `I cannot create that secret yet:\n\n${bullets(p.problems)}\n\nNothing was created.`, status: 400 },
  'SECRETS.NOT_ALLOWED': { render: (p) => `${str(p.reason, 'You may not manage the secrets of this service.')} Nothing was created.`, status: 403 },
  'SECRETS.NO_OWNER': { render: (p) => `${str(p.service, 'That service')} has no owning team in the catalog, so nobody may manage its secrets. Add an owner to its catalog-info.yaml first.`, status: 409 },
  'SECRETS.NOT_REQUESTER': { render: (p) => `Only ${str(p.requester, 'the requester')} can enter or retry this secret.`, status: 403 },
  'SECRETS.NOT_APPROVED': { render: (p) => `${str(p.name, 'This secret')} is not approved (or no longer), so I stored nothing.`, status: 409 },
  'SECRETS.VALUE_INVALID': { render: (p) => `That value cannot be stored (empty, or over ${str(p.max, '25000')} characters). Nothing was stored.`, status: 400 },
  'SECRETS.VALUE_MISSING': { render: (p) => `The value of ${str(p.name, 'this secret')} was never entered. Open the dialog again and enter it.`, status: 409 },
  'SECRETS.SERVICE_GONE': { render: (p) => `${str(p.service, 'The service')} is no longer in the catalog. Nothing was stored.`, status: 409 },
  'SECRETS.APPROVAL_UNAVAILABLE': { render: (p) => `Secrets for ${str(p.env, 'this environment')} need an approval, and approvals are not configured here (no directory). Nothing was created.`, status: 409 },
  'SECRETS.VAULT_FORBIDDEN': { render: (p) => `My identity lacks the ${str(p.permission, 'secrets')} permission on the Key Vault ${str(p.vault, 'of that environment')}${p.dataAction ? ` (Azure RBAC data action ${str(p.dataAction)}; the Key Vault Secrets Officer role grants it)` : ''}. Ask the platform team to grant it. Nothing was changed.`, status: 502 },
  'SECRETS.SOFT_DELETED': { render: (p) => `${str(p.name, 'That name')} belongs to a deleted secret that can still be recovered in ${str(p.vault, 'the vault')}. Recover it (type **recover secret ${str(p.name, '<name>')}**) or pick another name. Nothing was changed.`, status: 409 },
  'SECRETS.REF_INVALID': { render: (p) => `I cannot tell which secret you mean:\n\n${bullets(p.problems)}\n\nName it as stored (for example **rotate secret payments-api--dev--db-password**) or as service=... env=... name=.... Nothing was changed.`, status: 400 },
  'SECRETS.NOT_DELETED': { render: (p) => `${str(p.name, 'That secret')} is not deleted in ${str(p.vault, 'the vault')}, so there is nothing to recover. Nothing was changed.`, status: 409 },
  'SECRETS.NOT_FOUND': { render: (p) => `There is no secret ${str(p.name, 'by that name')} in ${str(p.vault, 'the vault')}. Nothing was changed.`, status: 404 },
  'SECRETS.VAULT_UNREACHABLE': { render: (p) => `I cannot reach the Key Vault ${str(p.vault, 'of that environment')} right now${p.reason ? ` (${str(p.reason)})` : ''}. Please try again in a minute; if it keeps failing, ask the platform team to check the vault's network access.`, status: 503 },
  // Secrets: expiry reminders and their buttons.
  'SECRETS.EXPIRY_NOT_ALLOWED': { render: (p) => `${str(p.reason, 'You may not manage the secrets of this service.')} Nothing was changed.`, status: 403 },
  'SECRETS.EXPIRY_STALE': { render: (p) => `${str(p.name, 'This secret')} has a newer version than this reminder (it was rotated since), so I changed nothing. The newer version gets its own reminders.`, status: 409 },
  'SECRETS.EXPIRY_INVALID': { render: (p) => `I cannot extend it to that: ${str(p.reason, 'not a date')}. Pick a future date. Nothing was changed.`, status: 400 },
  'SECRETS.EXPIRY_NOT_DUE': { render: (p) => `${str(p.name, 'This secret')} is not near its expiry any more (extended since?), so there is no reminder to snooze. Nothing was changed.`, status: 409 },
  'SECRETS.VAULT_UNKNOWN': { render: (p) => `${str(p.vault, 'That vault')} is not one of the vaults I manage (the configuration changed since this card was sent). Nothing was changed.`, status: 404 },
  'SECRETS.ROTATION_UNAVAILABLE': { render: (p) => `Rotation is not available here yet. Extend ${str(p.name, 'the secret')} for now, or ask the platform team to rotate it. Nothing was changed.`, status: 409 },
  'SECRETS.EXPIRY_REMINDERS_FAILED': { render: (p) => `${str(p.failed)} expiry reminder(s) could not be sent; the next run sends only those.`, status: 502 },
  // Secrets: mounting by pull request, pipeline variables.
  'SECRETS.INVALID_MOUNT': { render: (p) => `I cannot mount that: the ${str(p.field, 'name')} "${str(p.value)}" must be ${str(p.rule, 'a valid name')}. Nothing was changed.`, status: 400 },
  'SECRETS.MANIFEST_UNSAFE': { render: (p) => `I did not touch ${str(p.file, 'the SecretProviderClass')}${p.repository ? ` in ${str(p.repository)}` : ''}: ${str(p.reason, 'I cannot edit it safely')}. Add the secret to it by hand (the secret itself is stored).`, status: 409 },
  'SECRETS.REPOSITORY_GONE': { render: (p) => `${str(p.repository, 'The repository')} no longer exists or has no commits, so I opened no pull request to mount the secret.`, status: 409 },
  'PIPELINES.INVALID_VARIABLE_NAME': { render: (p) => `"${str(p.name)}" cannot be a pipeline variable: it ${str(p.reason, 'is not a valid name')}. Use letters, digits, "_", "." and "-". Nothing was changed.`, status: 400 },
  'PIPELINES.VARIABLE_IS_SECRET': { render: (p) => `${str(p.name)} in ${str(p.group, 'the variable group')} is a secret variable; I will not replace it with a visible value. Set it as a secret. Nothing was changed.`, status: 409 },
  'PIPELINES.VARIABLE_GROUP_LINKED': { render: (p) => `${str(p.group, 'The variable group')} is linked to the Key Vault ${str(p.vault)}: its variables come from the vault, so a value cannot be set there. Store it as a secret instead. Nothing was changed.`, status: 409 },
  'PIPELINES.VARIABLE_GROUP_NOT_LINKABLE': { render: (p) => `${str(p.group, 'The variable group')} holds its own variables (${names(p.variables, 'some')}); linking it to Key Vault would delete them. Nothing was changed.`, status: 409 },
  'PIPELINES.VARIABLE_GROUP_OTHER_VAULT': { render: (p) => `${str(p.group, 'The variable group')} is linked to another vault (${str(p.vault)}); I will not re-link it. Nothing was changed.`, status: 409 },
  'PIPELINES.VARIABLE_GROUP_GONE': { render: (p) => `${str(p.group, 'The variable group')} was deleted while I was updating it. Try again to create it.`, status: 409 },
  'PIPELINES.VARIABLE_REQUEST_INVALID': { render: (p) => `I cannot change those pipeline variables:\n\n${bullets(p.problems)}\n\nNothing was changed.`, status: 400 },
  'PIPELINES.VARIABLES_NOT_ALLOWED': { render: (p) => `${str(p.reason, 'You may not manage the pipeline variables of this service.')} Nothing was changed.`, status: 403 },
  'PIPELINES.SECRET_VALUE_IN_CHAT': { render: (p) => `${str(p.name, 'That variable')} is a secret, and a secret's value never goes through the chat: I did not store what you typed (change it at its source if it is real). Type **set secret variable ${str(p.name, 'NAME')} for ${str(p.service, '<service>')} in ${str(p.env, '<env>')}**: the value is generated, or typed in a private dialog with value=type.`, status: 400 },
  'PIPELINES.VARIABLE_GROUP_CONTENDED': { render: (p) => `${str(p.group, 'The variable group')} was being changed by someone else at the same time, so my link did not stick. The secret is stored; press Retry in a minute.`, status: 409 },
  'PIPELINES.LINK_UNAVAILABLE': { render: (p) => `I cannot link ${str(p.group, 'the secret')} into a pipeline here: Azure DevOps is not configured. The secret itself is stored.`, status: 409 },
  'PIPELINES.SERVICE_CONNECTION_NOT_FOUND': { render: (p) => `The project ${str(p.project)} has no service connection named ${str(p.serviceConnection)}, which pipelines need to read Key Vault. Ask the platform team to create it. Nothing was changed.`, status: 502 },
  'CARD.INVALID_DATA': { render: (p) => `This button sent data I cannot use (${str(p.problem, 'malformed')}). Nothing was changed.`, status: 400 },
  'CARD.UNKNOWN_ACTION': { render: (p) => `I do not know the card action "${str(p.verb)}". Nothing was changed.`, status: 400 },
  'INVOKE.UNKNOWN': { render: (p) => `I do not handle "${str(p.name)}" requests.`, status: 400 },
  'INVOKE.INVALID': { render: (p) => `That request is malformed (${str(p.problem, 'unreadable')}). Nothing was changed.`, status: 400 },
  'SECRETS.ASSIGNMENT_FORBIDDEN': { render: (p) => `I may not give the service's workload identity access${p.scope ? ` at ${str(p.scope)}` : ''}: my identity needs a role that can assign roles there (e.g. Key Vault Data Access Administrator on the vault). Ask the platform team to grant it.`, status: 502 },
  'SECRETS.PRINCIPAL_NOT_FOUND': { render: (p) => `Azure does not know the service's workload identity${p.principalId ? ` (${str(p.principalId)})` : ''} yet. A new identity can take a few minutes to appear; if it is not new, check the azure.workload.identity/client-id annotation in the catalog. Try again in a few minutes.`, status: 409 },
};

/** Codes a domain raises that read well as they are (facts about the request, no chat copy). */
const FACT_AREAS = new Set(['REPOS', 'PIPELINES', 'DIRECTORY', 'JOB']);

export function userMessageFor(error: unknown, reference: string): UserMessage {
  if (isDomainError(error)) return messageOf(error, reference);
  return { text: unexpected(reference), status: 500 };
}

function messageOf(error: DomainError, reference: string): UserMessage {
  const entry = BY_CODE[error.code];
  if (entry) return { text: entry.render(error.details, error.message), status: entry.status ?? 400 };
  if (FACT_AREAS.has(error.code.split('.')[0] ?? '')) return { text: escapeMarkdown(error.message), status: 400 };
  return { text: unexpected(reference), status: 500 };
}

const unexpected = (reference: string): string => `Sorry, something went wrong on my side. The platform team can trace it with reference ${reference}.`;

/** The table's codes (a test checks every code the domain raises has words here or reads as a fact). */
export const MESSAGE_CODES: readonly string[] = Object.keys(BY_CODE);
export const isFactCode = (code: string): boolean => FACT_AREAS.has(code.split('.')[0] ?? '');

/** What a person reads about a failed (or waiting) job step, from the error stored with the job. */
export function stepFailureText(error: { code: string; message: string; params?: Record<string, unknown> }, jobId: string): string {
  const reference = `job ${jobId}`;
  if (error.code === 'JOB.STEP_CRASHED') return unexpected(reference);
  return messageOf(new DomainError(error.code, error.message, error.params ?? {}), reference).text;
}
