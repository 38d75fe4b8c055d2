/* The playground page: a Teams-like chat over the sandbox's Bot Connector stand-in.
 * What the bot posts, updates and deletes arrives over server-sent events; what a person does is
 * sent to POST /api/messages as Teams would send it (message, adaptiveCard/action, task/fetch,
 * task/submit, application/search, composeExtension/*). Cards render with the official
 * Adaptive Cards renderer and a Teams-like host config. Plain browser JavaScript, no build step. */
(() => {
  'use strict';
  const AC = window.AdaptiveCards;
  const md = window.markdownit({ html: false, linkify: true, breaks: true });
  const CARD = 'application/vnd.microsoft.card.adaptive';
  const REDACTED = '[typed in a password field: not shown]';
  const INSPECTOR_MAX = 400;
  const $ = (id) => document.getElementById(id);

  const world = { bot: null, tenantId: '', serviceUrl: '', people: [], conversations: [] };
  /** conversation id (a thread has its own) -> activities, oldest first */
  const activities = new Map();
  /** `${activityId}|${viewer}` -> { version, card }: the card a viewer sees after an Execute or a refresh */
  const userViews = new Map();
  /** `${activityId}|${version}|${viewer}`: refreshes already asked for */
  const refreshed = new Set();
  /** Counts the times a person opened a conversation: each look may refresh its cards once. */
  let lookSerial = 0;
  /** Each user view gets a serial, so a new view of the same version redraws its message. */
  const userViewSerial = new WeakMap();
  let serial = 0;
  const setUserView = (key, view) => {
    userViewSerial.set(view, ++serial);
    userViews.set(key, view);
  };
  const unread = new Map();
  let hostConfig;
  let viewer;
  let current; // the conversation shown (its base id; channel threads hang under it)
  const pendingAttachments = []; // cards to send with the next message (message extension, unfurl)
  let unfurledUrl;

  // ---------- start ----------
  async function start() {
    hostConfig = new AC.HostConfig(await (await fetch('/playground/assets/teams-host-config.json')).json());
    AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
      result.outputHtml = linkTargets(md.render(text));
      result.didProcess = true;
    };
    const state = await (await fetch('/playground/api/state')).json();
    Object.assign(world, { bot: state.bot, tenantId: state.tenantId, serviceUrl: state.serviceUrl, people: state.people, conversations: state.conversations });
    for (const [id, list] of Object.entries(state.activities)) activities.set(id, list);
    const params = new URLSearchParams(location.hash.slice(1));
    viewer = world.people.find((p) => p.userPrincipalName.split('@')[0] === params.get('as')) ?? world.people.find((p) => p.role === 'developer') ?? world.people[0];
    fillPersonSelect();
    wireCompose();
    wireInspector();
    wireDialogs();
    choosePerson(viewer, params.get('chat'));
    listen();
    document.body.dataset.ready = 'true';
  }

  function listen() {
    const events = new EventSource('/playground/api/events');
    events.onmessage = (e) => applyChange(JSON.parse(e.data));
    events.onopen = () => (document.body.dataset.live = 'true');
  }

  function applyChange(change) {
    const list = activities.get(change.conversationId) ?? [];
    if (change.kind === 'deleted') {
      activities.set(change.conversationId, list.filter((a) => a.id !== change.activityId));
      log('in', `bot deleted ${change.activityId}`, change);
    } else {
      const i = list.findIndex((a) => a.id === change.activity.id);
      if (i >= 0) list[i] = change.activity;
      else list.push(change.activity);
      activities.set(change.conversationId, list);
      if (isFromBot(change.activity)) log('in', `bot ${change.kind === 'created' ? 'posted' : 'updated'} ${describe(change.activity)}`, change.activity);
    }
    const base = baseId(change.conversationId);
    if (base === current) renderMessages();
    else if (change.kind === 'created' && isFromBot(change.activity)) {
      unread.set(base, (unread.get(base) ?? 0) + 1);
      renderConversationList();
    }
  }

  // ---------- people and conversations ----------
  function fillPersonSelect() {
    const select = $('person-select');
    for (const p of world.people) {
      const option = document.createElement('option');
      option.value = p.aadObjectId;
      option.textContent = `${p.name} (${p.role})`;
      select.append(option);
    }
    select.addEventListener('change', () => choosePerson(world.people.find((p) => p.aadObjectId === select.value)));
  }

  function choosePerson(person, chatId) {
    viewer = person;
    $('person-select').value = person.aadObjectId;
    $('role-badge').textContent = person.role;
    $('role-badge').title = `${person.jobTitle}: ${person.roleHint}`;
    const mine = myConversations();
    const wanted = mine.find((c) => c.id === chatId) ?? mine.find((c) => c.id === current) ?? mine[0];
    openConversation(wanted.id);
  }

  const myConversations = () => world.conversations.filter((c) => c.memberIds.includes(viewer.aadObjectId));
  const conversationById = (id) => world.conversations.find((c) => c.id === id);
  const baseId = (conversationId) => conversationId.split(';')[0];

  function openConversation(id) {
    current = id;
    lookSerial += 1;
    unread.delete(id);
    const conversation = conversationById(id);
    history.replaceState(null, '', `#as=${viewer.userPrincipalName.split('@')[0]}&chat=${encodeURIComponent(id)}`);
    $('chat-title').textContent = conversation.kind === 'personal' ? `${world.bot.name} (chat with the bot)` : conversation.title;
    const names = conversation.memberIds.map((m) => world.people.find((p) => p.aadObjectId === m)?.name.split(' ')[0]).filter(Boolean);
    $('chat-members').textContent = conversation.kind === 'personal' ? viewer.name : `${names.join(', ')} and ${world.bot.name}`;
    $('mention-label').hidden = conversation.kind === 'personal';
    $('compose-text').placeholder = conversation.kind === 'channel' ? 'Start a new post (mention the bot: @IDP bot is on)' : 'Type a message, e.g. help';
    $('compose-hint').textContent = hintFor(conversation);
    renderSuggestions();
    pendingAttachments.length = 0;
    renderPending();
    renderConversationList();
    renderMessages();
  }

  /** One tap asks what this person might ask first (the text goes through the compose box). */
  function renderSuggestions() {
    const box = $('suggestions');
    box.replaceChildren();
    for (const text of viewer.suggestions ?? []) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = text;
      b.addEventListener('click', () => {
        $('compose-text').value = text;
        $('compose-form').requestSubmit();
      });
      box.append(b);
    }
  }

  function hintFor(conversation) {
    if (conversation.kind === 'personal') return 'Services searches the catalog and inserts a card; pasting a repository URL (https://dev.azure.com/contoso/Payments/_git/payments-web) unfurls it. Switch person at the top right.';
    if (conversation.kind === 'channel') return 'A new post starts a thread; the bot answers in it. Reply in a thread to keep talking.';
    return 'In a group chat the bot reads messages that mention it.';
  }

  function renderConversationList() {
    const nav = $('conversations');
    nav.replaceChildren();
    const section = (title, items) => {
      if (!items.length) return;
      const h = document.createElement('h2');
      h.textContent = title;
      nav.append(h);
      for (const c of items) {
        const b = document.createElement('button');
        b.className = 'conversation';
        b.dataset.conversationId = c.id;
        b.dataset.testid = 'conversation';
        b.setAttribute('aria-current', String(c.id === current));
        const avatar = document.createElement('span');
        avatar.className = `avatar ${c.kind === 'channel' ? 'channel' : c.kind === 'groupChat' ? 'group' : ''}`;
        avatar.textContent = c.kind === 'personal' ? 'IDP' : c.title.slice(0, 2).toUpperCase();
        const label = document.createElement('span');
        label.textContent = c.kind === 'personal' ? world.bot.name : c.title;
        b.append(avatar, label);
        const n = unread.get(c.id);
        if (n) {
          const badge = document.createElement('span');
          badge.className = 'unread';
          badge.textContent = String(n);
          b.append(badge);
        }
        b.addEventListener('click', () => openConversation(c.id));
        nav.append(b);
      }
    };
    const mine = myConversations();
    section('Chat', mine.filter((c) => c.kind !== 'channel'));
    section('Teams', mine.filter((c) => c.kind === 'channel'));
  }

  // ---------- messages ----------
  const isFromBot = (a) => !a.from || a.from.id === world.bot.id || a.from.role === 'bot' || !world.people.some((p) => p.teamsId === a.from?.id);
  const shown = (a) => (a.type ?? 'message') === 'message';
  const versionOf = (a) => a.lastModified ?? a.timestamp ?? '';

  function renderMessages() {
    const box = $('messages');
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    const conversation = conversationById(current);
    box.replaceChildren();
    if (conversation.kind === 'channel') {
      const threads = [...activities.entries()].filter(([id]) => baseId(id) === current && id !== current).map(([id, list]) => ({ id, list: list.filter(shown) })).filter((t) => t.list.length);
      const loose = (activities.get(current) ?? []).filter(shown).map((a) => ({ id: current, list: [a], loose: true }));
      const all = [...threads, ...loose].sort((x, y) => String(x.list[0].timestamp).localeCompare(String(y.list[0].timestamp)));
      for (const t of all) box.append(threadElement(t));
      if (!all.length) box.append(emptyNote(conversation));
      refreshVisibleCards(all.map((t) => [t.id, t.list]));
    } else {
      const list = (activities.get(current) ?? []).filter(shown);
      for (const a of list) box.append(messageElement(a, current));
      if (!list.length) box.append(emptyNote(conversation));
      refreshVisibleCards([[current, list]]);
    }
    if (atBottom) box.scrollTop = box.scrollHeight;
  }

  function emptyNote(conversation) {
    const p = document.createElement('div');
    p.className = 'empty';
    p.innerHTML = conversation.kind === 'personal'
      ? `Nothing here yet. Say <code>help</code>, or tap one of the suggestions below.<div class="guide"><b>A tour in three minutes</b><ol><li>As Alice: <code>create repo</code>, fill the form, Preview, Confirm; then <code>who owns</code> it.</li><li>As Alice: <code>onboard</code> Henry to Payments and ask Bob to approve.</li><li>Switch to <b>Bob</b> (top right), open his chat with the bot and tap Approve; switch back to Alice to see the decision.</li></ol>Open the <b>Inspector</b> to see every activity the page and the bot exchange.</div>`
      : conversation.kind === 'channel' ? 'No posts yet. Start one that mentions the bot, e.g. <code>who is on call for payments-api?</code>' : 'No messages yet. Mention the bot to ask it something.';
    return p;
  }

  function threadElement(thread) {
    const el = document.createElement('section');
    el.className = 'thread';
    el.dataset.threadId = thread.id;
    const [root, ...replies] = thread.list;
    el.append(messageElement(root, thread.id));
    if (replies.length) {
      const r = document.createElement('div');
      r.className = 'replies';
      for (const a of replies) r.append(messageElement(a, thread.id));
      el.append(r);
    }
    if (!thread.loose) {
      const form = document.createElement('form');
      form.className = 'reply';
      form.innerHTML = '<input type="text" placeholder="Reply (mentions the bot)" aria-label="Reply"><button type="submit">Reply</button>';
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const input = form.querySelector('input');
        const text = input.value.trim();
        if (!text) return;
        input.value = '';
        void sendMessage({ conversationId: thread.id, text, mention: true });
      });
      el.append(form);
    }
    return el;
  }

  /** Drawn messages by activity id: redrawn only when the activity or this viewer's view of it changes, so what a person is typing into a card survives other updates. */
  const drawn = new Map();
  function messageElement(a, conversationId) {
    const view = userViews.get(`${a.id}|${viewer.teamsId}`);
    const key = `${viewer.teamsId}|${versionOf(a)}|${view?.version ?? ''}|${view ? userViewSerial.get(view) : ''}|${(a.attachments ?? []).length}|${a.text ?? ''}`;
    const cached = drawn.get(a.id);
    if (cached?.key === key) return cached.element;
    const element = drawMessage(a, conversationId);
    drawn.set(a.id, { key, element });
    return element;
  }

  function drawMessage(a, conversationId) {
    const fromBot = isFromBot(a);
    const person = world.people.find((p) => p.teamsId === a.from?.id);
    const el = document.createElement('article');
    el.className = `message${!fromBot && person?.aadObjectId === viewer.aadObjectId ? ' mine' : ''}`;
    el.dataset.activityId = a.id;
    el.dataset.from = fromBot ? 'bot' : person?.userPrincipalName ?? 'someone';
    const avatar = document.createElement('span');
    avatar.className = 'avatar';
    avatar.textContent = fromBot ? 'IDP' : initials(person?.name ?? a.from?.name ?? '?');
    const body = document.createElement('div');
    body.className = 'body';
    const meta = document.createElement('div');
    meta.className = 'meta';
    const who = document.createElement('b');
    who.textContent = fromBot ? world.bot.name : person?.name ?? a.from?.name ?? 'Someone';
    meta.append(who, document.createTextNode(time(a.timestamp) + (a.lastModified ? ' · updated' : '')));
    body.append(meta);
    if (a.text) {
      const bubble = document.createElement('div');
      bubble.className = 'bubble';
      bubble.dataset.testid = 'text';
      if (fromBot && a.textFormat !== 'plain') bubble.innerHTML = linkTargets(md.render(a.text));
      else bubble.textContent = a.text.replace(/<at>(.*?)<\/at>/g, '@$1');
      body.append(bubble);
    }
    for (const attachment of a.attachments ?? []) body.append(attachmentElement(attachment, a, conversationId));
    el.append(avatar, body);
    return el;
  }

  function attachmentElement(attachment, activity, conversationId) {
    if (attachment.contentType === CARD && attachment.content) {
      const key = `${activity.id}|${viewer.teamsId}`;
      const view = userViews.get(key);
      const version = versionOf(activity);
      const card = view && view.version === version ? view.card : attachment.content;
      const host = document.createElement('div');
      host.className = 'card-host';
      host.dataset.testid = 'card';
      host.append(renderCard(card, { activity, conversationId }));
      return host;
    }
    const box = document.createElement('div');
    box.className = 'bubble';
    const c = attachment.content ?? {};
    box.textContent = [c.title, c.subtitle, c.text].filter(Boolean).join(' — ') || `(${attachment.contentType})`;
    return box;
  }

  /** The card a viewer sees in a message: their own view when they have one for this version, else the posted card. */
  function displayedCard(activity) {
    const posted = (activity.attachments ?? []).find((x) => x.contentType === CARD && x.content)?.content;
    const view = userViews.get(`${activity.id}|${viewer.teamsId}`);
    return view && view.version === versionOf(activity) ? view.card : posted;
  }

  /** Like Teams: each time a person looks at a conversation, the cards that list them refresh. */
  function refreshVisibleCards(entries) {
    for (const [conversationId, list] of entries) for (const a of list) {
      const card = displayedCard(a);
      if (card) maybeRefresh(card, a, conversationId);
    }
  }

  /** Teams fetches each listed viewer's own view of a card (Universal Actions `refresh.userIds`). */
  function maybeRefresh(card, activity, conversationId) {
    const action = card.refresh?.action;
    if (!action || action.type !== 'Action.Execute') return;
    const listed = Array.isArray(card.refresh.userIds) ? card.refresh.userIds.includes(viewer.teamsId) : true;
    const key = `${activity.id}|${versionOf(activity)}|${viewer.teamsId}|${lookSerial}`;
    if (!listed || refreshed.has(key)) return;
    refreshed.add(key);
    const asked = viewer;
    void execute({ verb: action.verb, data: action.data ?? {}, id: action.id }, { activity, conversationId }, 'automatic').then((reply) => {
      if (reply?.type === CARD) {
        setUserView(`${activity.id}|${asked.teamsId}`, { version: versionOf(activity), card: reply.value });
        if (asked === viewer && baseId(conversationId) === current) renderMessages();
      }
    });
  }

  // ---------- cards ----------
  function renderCard(payload, context) {
    const card = new AC.AdaptiveCard();
    card.hostConfig = hostConfig;
    card.onExecuteAction = (action) => void onAction(action, context);
    card.onInputValueChanged = (input) => typeahead(input, context);
    card.parse(payload);
    return card.render() ?? document.createElement('div');
  }

  async function onAction(action, context) {
    if (context.preview) return; // a card waiting in the compose box is not live yet
    const type = action.getJsonTypeName();
    if (type === 'Action.OpenUrl') return openLink(action.url);
    const data = action.data ?? {};
    if (type === 'Action.Execute') {
      const reply = await execute({ verb: action.verb, data, id: action.id }, context, 'manual');
      if (!reply) return;
      if (reply.type === CARD) {
        setUserView(`${context.activity.id}|${viewer.teamsId}`, { version: versionOf(context.activity), card: reply.value });
        renderMessages();
      } else if (reply.type === 'application/vnd.microsoft.activity.message') toast(String(reply.value));
      else if (reply.statusCode >= 400) toast(reply.value?.message ?? `The bot answered ${reply.statusCode}.`, true);
      return;
    }
    if (type !== 'Action.Submit') return;
    if (context.dialog) return taskSubmit(data, context);
    const teams = data.msteams;
    if (teams?.type === 'task/fetch') return taskFetch(data, context);
    if (teams?.type === 'imBack') return sendMessage({ conversationId: context.conversationId, text: String(teams.value), mention: true });
    if (teams?.type === 'messageBack') return sendMessage({ conversationId: context.conversationId, text: teams.text ?? '', display: teams.displayText, value: teams.value, mention: true, silent: !teams.displayText });
    if (teams?.type === 'invoke') return invoke('invoke', teams.value, context);
    // A plain Submit: Teams posts a message with the data as its value, in reply to the card.
    return sendMessage({ conversationId: context.conversationId, value: data, replyToId: context.activity?.id, silent: true });
  }

  const execute = (action, context, trigger) => invoke('adaptiveCard/action', { action: { type: 'Action.Execute', ...action }, trigger }, context);

  let typeaheadTimer;
  function typeahead(input, context) {
    if (!(input instanceof AC.ChoiceSetInput) || !input.isDynamicTypeahead()) return;
    const filter = input.getFilterForDynamicSearch();
    clearTimeout(typeaheadTimer);
    if (!filter) return;
    typeaheadTimer = setTimeout(async () => {
      input.showLoadingIndicator();
      const reply = await invoke('application/search', { kind: 'search', queryText: filter, queryOptions: { skip: 0, top: input.choicesData?.count ?? 15 }, dataset: input.choicesData?.dataset ?? '' }, context);
      input.removeLoadingIndicator();
      if (reply?.statusCode === 200) {
        // The renderer (3.0.6) maps a chosen title back to its value only for the card's own
        // choices: the answers join them, so what is sent is the value, as Teams sends it.
        for (const r of reply.value?.results ?? []) if (!input.choices.some((c) => c.value === r.value)) input.choices.push(new AC.Choice(r.title, r.value));
        input.renderChoices(filter, []);
      }
      else input.showErrorIndicator(filter, reply?.value?.message ?? 'Search failed');
    }, 250);
  }

  // ---------- task modules (dialogs) ----------
  async function taskFetch(data, context) {
    const reply = await invoke('task/fetch', { data, context: { theme: 'default' } }, context);
    showTask(reply, { ...context, dialog: true });
  }

  async function taskSubmit(data, context) {
    const reply = await invoke('task/submit', { data, context: { theme: 'default' } }, context, context.secretInputs);
    closeTask();
    showTask(reply, context);
  }

  function showTask(reply, context) {
    const task = reply?.task;
    if (!task) return;
    if (task.type === 'message') return toast(String(task.value));
    if (task.type !== 'continue' || !task.value?.card?.content) return;
    const payload = task.value.card.content;
    $('task-title').textContent = task.value.title ?? '';
    const body = $('task-body');
    body.replaceChildren(renderCard(payload, { ...context, dialog: true, secretInputs: passwordInputs(payload) }));
    const dialog = $('task-dialog');
    if (!dialog.open) dialog.showModal();
  }

  /** Wipes the dialog: what was typed in it leaves the page with it. */
  function closeTask() {
    $('task-body').replaceChildren();
    const dialog = $('task-dialog');
    if (dialog.open) dialog.close();
  }

  function passwordInputs(payload) {
    const ids = [];
    const walk = (node) => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      if (node.type === 'Input.Text' && String(node.style).toLowerCase() === 'password' && node.id) ids.push(node.id);
      Object.values(node).forEach(walk);
    };
    walk(payload);
    return [...new Set(ids)];
  }

  // ---------- the message extension and link unfurling ----------
  function wireDialogs() {
    $('task-close').addEventListener('click', closeTask);
    $('task-dialog').addEventListener('cancel', () => $('task-body').replaceChildren());
    $('services-close').addEventListener('click', () => $('services-dialog').close());
    $('services-button').addEventListener('click', () => {
      $('services-query').value = '';
      $('services-dialog').showModal();
      void searchServices('', true);
    });
    let timer;
    $('services-query').addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => void searchServices($('services-query').value.trim(), false), 250);
    });
  }

  async function searchServices(text, initialRun) {
    const parameters = initialRun ? [{ name: 'initialRun', value: 'true' }] : [{ name: 'query', value: text }];
    const reply = await invoke('composeExtension/query', { commandId: 'searchServices', parameters, queryOptions: { skip: 0, count: 25 } }, { conversationId: current });
    const list = $('services-results');
    list.replaceChildren();
    const attachments = reply?.composeExtension?.attachments ?? [];
    if (reply?.composeExtension?.type === 'message') {
      const li = document.createElement('li');
      li.textContent = reply.composeExtension.text;
      list.append(li);
    }
    for (const attachment of attachments) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.testid = 'service-result';
      const preview = attachment.preview?.content ?? {};
      const title = document.createElement('b');
      title.textContent = preview.title ?? '';
      const text = document.createElement('span');
      text.textContent = preview.subtitle ?? preview.text ?? '';
      b.append(title, text);
      b.addEventListener('click', () => void chooseService(attachment));
      li.append(b);
      list.append(li);
    }
  }

  async function chooseService(attachment) {
    let chosen = attachment.content ? attachment : undefined;
    const tap = attachment.preview?.content?.tap;
    if (tap?.type === 'invoke') {
      const reply = await invoke('composeExtension/selectItem', tap.value, { conversationId: current });
      chosen = reply?.composeExtension?.attachments?.[0] ?? chosen;
    }
    $('services-dialog').close();
    if (chosen?.contentType === CARD) {
      pendingAttachments.push({ contentType: CARD, content: chosen.content });
      renderPending();
    }
  }

  async function unfurl(text) {
    const url = (text.match(/https?:\/\/[^\s<>"]+/) ?? [])[0];
    if (!url || url === unfurledUrl) return;
    unfurledUrl = url;
    const reply = await invoke('composeExtension/queryLink', { url }, { conversationId: current });
    const attachment = reply?.composeExtension?.attachments?.[0];
    if (attachment?.contentType === CARD) {
      pendingAttachments.push({ contentType: CARD, content: attachment.content, unfurl: url });
      renderPending();
    }
  }

  function renderPending() {
    const box = $('compose-attachments');
    box.replaceChildren();
    pendingAttachments.forEach((attachment, i) => {
      const wrap = document.createElement('div');
      wrap.className = 'pending card-host';
      wrap.dataset.testid = 'pending-card';
      wrap.append(renderCard(attachment.content, { conversationId: current, preview: true }));
      const remove = document.createElement('button');
      remove.className = 'remove';
      remove.type = 'button';
      remove.textContent = '✕';
      remove.title = 'Remove';
      remove.addEventListener('click', () => {
        pendingAttachments.splice(i, 1);
        renderPending();
      });
      wrap.append(remove);
      box.append(wrap);
    });
  }

  // ---------- compose and send ----------
  function wireCompose() {
    const input = $('compose-text');
    $('compose-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const text = input.value.trim();
      if (!text && !pendingAttachments.length) return;
      input.value = '';
      unfurledUrl = undefined;
      const attachments = pendingAttachments.splice(0).map(({ contentType, content }) => ({ contentType, content }));
      renderPending();
      const conversation = conversationById(current);
      void sendMessage({ conversationId: current, text, attachments, newThread: conversation.kind === 'channel', mention: conversation.kind === 'personal' || $('mention-bot').checked });
    });
    input.addEventListener('paste', () => setTimeout(() => void unfurl(input.value), 0));
  }

  /** Records what the person wrote in the conversation (as Teams keeps it), then gives it to the bot. */
  async function sendMessage({ conversationId, text = '', display, value, attachments = [], newThread = false, mention = false, replyToId, silent = false }) {
    const conversation = conversationById(baseId(conversationId));
    const toBot = conversation.kind === 'personal' || mention || value !== undefined;
    // Outside a 1:1 chat the bot reads only what mentions it.
    const mentioned = (words) => (conversation.kind !== 'personal' && toBot && words ? `<at>${world.bot.name}</at> ${words}` : words);
    const atText = mentioned(text);
    let stored;
    if (!silent) {
      const res = await fetch('/playground/api/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId, fromId: viewer.aadObjectId, text: mentioned(display ?? text) || undefined, attachments: attachments.length ? attachments : undefined, newThread }),
      });
      const answer = await res.json();
      if (!res.ok) return toast(answer.message ?? 'Not sent', true);
      stored = answer.activity;
      if (answer.installedNow) await post(envelope('conversationUpdate', stored.conversation.id, { membersAdded: [{ id: world.bot.id }] }), 'the app installed: conversationUpdate');
    }
    if (!toBot) return;
    const activity = envelope('message', stored?.conversation.id ?? conversationId, {
      id: stored?.id ?? `f:${crypto.randomUUID()}`,
      ...(atText ? { text: atText, textFormat: 'plain' } : {}),
      ...(value !== undefined ? { value } : {}),
      ...(attachments.length ? { attachments } : {}),
      ...(replyToId ? { replyToId } : {}),
      ...(conversation.kind !== 'personal' && text ? { entities: [{ type: 'mention', text: `<at>${world.bot.name}</at>`, mentioned: { id: world.bot.id, name: world.bot.name } }] } : {}),
    });
    await post(activity, value !== undefined && !text ? 'card submit' : `message “${text.slice(0, 60)}”`);
  }

  async function invoke(name, value, context, secretInputs = []) {
    const conversationId = context.conversationId ?? current;
    const activity = envelope('invoke', conversationId, { id: `f:${crypto.randomUUID()}`, name, value, ...(context.activity?.id ? { replyToId: context.activity.id } : {}) });
    const answer = await post(activity, `invoke ${name}${value?.action?.verb ? ` (${value.action.verb})` : ''}`, secretInputs);
    return answer?.body;
  }

  function envelope(type, conversationId, extra) {
    const conversation = conversationById(baseId(conversationId));
    const channelData = { tenant: { id: world.tenantId } };
    if (conversation.kind === 'channel') Object.assign(channelData, { teamsChannelId: conversation.id, teamsTeamId: conversation.team.id, channel: { id: conversation.id }, team: conversation.team });
    return {
      type,
      timestamp: new Date().toISOString(),
      localTimestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: world.serviceUrl,
      from: { id: viewer.teamsId, name: viewer.name, aadObjectId: viewer.aadObjectId },
      recipient: { id: world.bot.id, name: world.bot.name },
      conversation: { id: conversationId, conversationType: conversation.kind, tenantId: world.tenantId, ...(conversation.kind !== 'personal' ? { isGroup: true } : {}) },
      channelData,
      locale: 'en-US',
      ...extra,
    };
  }

  async function post(activity, what, secretInputs = []) {
    log('out', what, redact(activity, secretInputs));
    let res;
    try {
      res = await fetch('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    } catch (e) {
      log('err', `${what}: the bot is not reachable`, String(e));
      toast('The bot is not reachable. Is npm start still running?', true);
      return undefined;
    }
    const text = await res.text();
    const body = text ? JSON.parse(text) : undefined;
    log(res.ok ? 'in' : 'err', `${res.status} ← ${what}`, body ?? null);
    if (!res.ok && res.status !== 200) toast(body?.message ?? `The bot answered ${res.status}.`, true);
    return { status: res.status, body };
  }

  /** The inspector never shows what was typed in a password field. */
  function redact(activity, secretInputs) {
    if (!secretInputs.length) return activity;
    const copy = structuredClone(activity);
    const data = copy.value?.data;
    if (data && typeof data === 'object') for (const id of secretInputs) if (id in data) data[id] = REDACTED;
    return copy;
  }

  // ---------- inspector, links, toasts ----------
  function wireInspector() {
    const toggle = $('inspector-toggle');
    toggle.addEventListener('click', () => {
      const panel = $('inspector');
      panel.hidden = !panel.hidden;
      toggle.setAttribute('aria-expanded', String(!panel.hidden));
    });
    $('inspector-clear').addEventListener('click', () => $('inspector-log').replaceChildren());
  }

  function log(direction, what, json) {
    const list = $('inspector-log');
    const li = document.createElement('li');
    li.dataset.testid = 'inspector-entry';
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    const dir = document.createElement('span');
    dir.className = `dir ${direction}`;
    dir.textContent = direction === 'out' ? '→' : direction === 'in' ? '←' : '!';
    const label = document.createElement('span');
    label.className = 'what';
    label.textContent = what;
    const at = document.createElement('span');
    at.textContent = time(new Date().toISOString());
    summary.append(dir, label, at);
    const pre = document.createElement('pre');
    pre.textContent = JSON.stringify(json, null, 2);
    details.append(summary, pre);
    li.append(details);
    list.prepend(li);
    while (list.children.length > INSPECTOR_MAX) list.lastElementChild.remove();
  }

  /** Sandbox links go nowhere real: a local page says what they would open in a tenant. */
  function openLink(url) {
    window.open(`/playground/demo-link?url=${encodeURIComponent(url)}`, '_blank', 'noopener');
  }

  function linkTargets(html) {
    return html.replace(/<a href="([^"]*)"/g, (_m, href) => `<a target="_blank" rel="noopener" href="/playground/demo-link?url=${encodeURIComponent(href.replace(/&amp;/g, '&'))}"`);
  }

  let toastTimer;
  function toast(text, error = false) {
    const el = $('toast');
    el.textContent = text;
    el.classList.toggle('error', error);
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (el.hidden = true), 6000);
  }

  const initials = (name) => name.split(/\s+/).map((w) => w[0]).join('').slice(0, 2).toUpperCase();
  const time = (iso) => (iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '');
  const describe = (a) => (a.attachments?.length ? `card${a.text ? ` + “${a.text.slice(0, 40)}”` : ''}` : `“${String(a.text ?? '').slice(0, 60)}”`);

  start().catch((e) => {
    document.body.textContent = `The playground could not start: ${e.message}`;
  });
})();
