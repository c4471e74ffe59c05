// The playground page: who you are, a conversation, its messages, a form when one is open.
// Everything the page shows comes from GET /api/state; every press goes to a POST /api/… and is
// answered once the bot has finished, after which the page draws the new state.
"use strict";

const POLL_EVERY_MS = 1000;
const asked = new URLSearchParams(location.search); // ?as=UALICE&conversation=ops opens there
const page = {
  as: asked.get("as") || localStorage.getItem("playground.as") || "UOLIVIA",
  conversation: asked.get("conversation") || localStorage.getItem("playground.conversation") || "dm",
  state: null,
  drawn: "", // what was drawn last: version, person and conversation
  modalDrawn: "", // the open form's id and blocks, so typing is not lost when the page redraws
  busy: false, // a press is on its way to the bot: another waits until it is answered
  scrollDown: false, // the person sent something: show the list's end once it is drawn
  listShown: "", // whose conversation the list shows, to start a newly opened one at its end
};

const $ = (id) => document.getElementById(id);

// An element holding plain text (never markup), with its class when given.
function textElement(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  element.textContent = text;
  return element;
}

// Every POST is JSON: the server refuses anything else, as other websites can post forms and text.
async function api(method, path, body) {
  const posting = method === "POST";
  const response = await fetch(path, {
    method,
    headers: posting ? { "Content-Type": "application/json" } : {},
    body: posting ? JSON.stringify(body || {}) : undefined,
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error || `The playground answered ${response.status}.`);
  return answer;
}

async function refresh(force = false) {
  const { as, conversation } = page;
  const query = new URLSearchParams({ as, conversation });
  const state = await api("GET", `/api/state?${query}`);
  // The person switched who they are or where while this was on its way: it is no longer theirs.
  if (as !== page.as || conversation !== page.conversation) return;
  const key = `${state.version}|${state.as}|${state.conversation}`;
  if (!force && key === page.drawn) return;
  page.state = state;
  page.drawn = key;
  draw(state);
}

// Run one press; show a problem (in ``box``) instead of throwing, and redraw once the bot is done.
// A press while another is on its way is ignored, as a second Enter or a double click would repeat it.
async function act(path, body, box = $("problem")) {
  if (page.busy) return null;
  say(box, "");
  setBusy(true);
  try {
    const answer = await api("POST", path, body);
    await refresh(true);
    if (answer.ok === false && answer.status) say(box, `Handoff answered with HTTP ${answer.status}.`);
    return answer;
  } catch (error) {
    say(box, error.message);
    return null;
  } finally {
    setBusy(false);
  }
}

function setBusy(busy) {
  page.busy = busy;
  $("send").disabled = busy;
  $("modal-submit").disabled = busy;
}

function showProblem(text) {
  say($("problem"), text);
}

// A problem is an alert while it is there; an empty box is no alert.
function say(box, text) {
  box.textContent = text;
  if (text) box.setAttribute("role", "alert");
  else box.removeAttribute("role");
}

// ---- drawing

function draw(state) {
  drawPeople(state);
  $("time").textContent = state.time_label;
  $("time").value = state.time_label;
  for (const button of document.querySelectorAll("nav [data-conversation]")) {
    const current = button.dataset.conversation === state.conversation;
    button.classList.toggle("current", current);
    if (current) button.setAttribute("aria-current", "page");
    else button.removeAttribute("aria-current");
  }
  const title = state.conversations.find((c) => c.id === state.conversation);
  $("conversation-title").textContent = title ? title.label : "";
  const home = state.conversation === "home";
  $("home").hidden = !home;
  $("messages").hidden = home;
  $("composer").hidden = home;
  if (home) drawHome(state.home);
  else drawMessages(state.messages);
  drawHints(state.commands);
  drawModal(state.modal);
}

function drawPeople(state) {
  const who = $("who");
  if (who.options.length !== state.people.length) {
    who.replaceChildren(
      ...state.people.map((p) => new Option(p.label, p.id)),
    );
  }
  who.value = state.as;
}

function drawMessages(messages) {
  const list = $("messages");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const shown = `${page.as}|${page.conversation}`;
  const scrollDown = atBottom || page.scrollDown || shown !== page.listShown;
  page.scrollDown = false;
  page.listShown = shown;
  list.replaceChildren(...messages.map(messageItem));
  if (!messages.length) {
    list.append(textElement("li", "empty", page.conversation === "ops"
      ? "Nothing in #ops yet. The daily summary arrives here each working morning."
      : "No messages yet. Type a command below, for example /delegate @Alice Ship the report | due: friday"));
  }
  // Someone reading further up keeps their place; a new message shows when they are at the end.
  if (scrollDown) list.scrollTop = list.scrollHeight;
}

function messageItem(message) {
  const item = document.createElement("li");
  item.className = "message" + (message.ephemeral ? " ephemeral" : "");
  item.dataset.ts = message.ts;
  item.append(textElement("div", "author", message.author));
  if (message.ephemeral) item.append(textElement("div", "only-you", "Only visible to you"));
  const body = document.createElement("div");
  body.className = "body";
  body.innerHTML = message.html; // rendered and escaped by the playground's Block Kit renderer
  item.append(body);
  if (message.edited) item.append(textElement("span", "edited", "(edited)"));
  return item;
}

function drawHome(home) {
  const section = $("home");
  if (!home) {
    section.textContent = "Handoff's Home tab is loading…";
    return;
  }
  section.dataset.viewId = home.id;
  section.innerHTML = home.html;
}

function drawHints(commands) {
  const typed = $("message").value.trim().split(/\s/)[0].toLowerCase();
  const shown = commands.filter((c) => !typed.startsWith("/") || c.command.startsWith(typed) || typed.startsWith(c.command));
  $("composer-help").replaceChildren(
    ...shown.map((c) => {
      const item = document.createElement("li");
      item.append(textElement("code", "", `${c.command} ${c.usage_hint}`), textElement("span", "", ` — ${c.description}`));
      return item;
    }),
  );
}

function drawModal(modal) {
  const dialog = $("modal");
  if (!modal) {
    page.modalDrawn = "";
    if (dialog.open) {
      dialog.close();
      if (!$("composer").hidden) $("message").focus(); // back where the person was typing
    }
    dialog.removeAttribute("aria-label");
    return;
  }
  const key = `${modal.id}|${JSON.stringify(modal.blocks)}`;
  if (key !== page.modalDrawn) {
    page.modalDrawn = key;
    dialog.dataset.viewId = modal.id;
    dialog.setAttribute("aria-label", modal.title);
    $("modal-title").textContent = modal.title;
    $("modal-body").innerHTML = modal.html;
    $("modal-close").textContent = modal.close;
    $("modal-submit").textContent = modal.submit || "";
    $("modal-submit").hidden = !modal.submit;
    say($("modal-problem"), "");
  }
  drawErrors(modal.errors || {});
  if (!dialog.open) {
    // Not modal to the page: the person may switch who they are or move the clock while a form is
    // open, as each person in a workspace has a screen of their own.
    if (typeof dialog.show === "function") dialog.show();
    else dialog.setAttribute("open", "");
    const first = dialog.querySelector(".modal-body input, .modal-body textarea, .modal-body select");
    if (first) first.focus();
    else $("modal-close").focus(); // a form with nothing to fill: its close button, for Escape or Enter
  }
}

function drawErrors(errors) {
  for (const old of $("modal-body").querySelectorAll(".field-error")) old.remove();
  for (const [blockId, text] of Object.entries(errors)) {
    const field = [...$("modal-body").querySelectorAll(".bk-input")].find((f) => f.dataset.blockId === blockId);
    const error = textElement("div", "field-error", text);
    error.setAttribute("role", "alert");
    if (field) field.append(error);
    else say($("modal-problem"), text);
  }
}

// ---- reading a form as Slack's client does: each input block's value

function formValues() {
  const values = {};
  for (const field of $("modal-body").querySelectorAll(".bk-input")) {
    const control = field.querySelector("[data-action-id]");
    if (!control) continue;
    const value = controlValue(control);
    if (value === "" || (Array.isArray(value) && value.length === 0)) continue;
    values[field.dataset.blockId] = value;
  }
  return values;
}

function controlValue(control) {
  if (control.tagName === "SELECT") {
    if (control.multiple) return [...control.selectedOptions].map((o) => o.value).filter(Boolean);
    return control.value;
  }
  if (control.tagName === "FIELDSET") {
    const checked = [...control.querySelectorAll("input:checked")].map((i) => i.value);
    return control.dataset.type === "radio_buttons" ? checked[0] || "" : checked;
  }
  return control.value;
}

// ---- pressing things

function whereIs(element) {
  const dialog = element.closest("dialog");
  if (dialog) return { view: dialog.dataset.viewId };
  const home = element.closest("#home");
  if (home) return { view: home.dataset.viewId };
  const message = element.closest("li.message");
  return message ? { message: message.dataset.ts } : null;
}

function press(element, extra) {
  const where = whereIs(element);
  if (!where) return;
  if (element.dataset.url) window.open(element.dataset.url, "_blank", "noopener");
  act("/api/action", {
    as: page.as,
    ...where,
    block_id: element.dataset.blockId,
    action_id: element.dataset.actionId,
    ...extra,
  });
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action-id]");
  if (button && !button.closest(".bk-input")) press(button, {});
});

document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-action-id]");
  if (!select || select.closest(".bk-input") || !select.value) return;
  press(select, { selected: select.value });
});

$("who").addEventListener("change", () => {
  page.as = $("who").value;
  localStorage.setItem("playground.as", page.as);
  open(page.conversation);
});

for (const button of document.querySelectorAll("nav [data-conversation]")) {
  button.addEventListener("click", () => open(button.dataset.conversation));
}

async function open(conversation) {
  page.conversation = conversation;
  localStorage.setItem("playground.conversation", conversation);
  if (conversation === "home") await act("/api/open", { as: page.as, conversation });
  else await refresh(true).catch((error) => showProblem(error.message));
}

for (const button of document.querySelectorAll("[data-advance]")) {
  button.addEventListener("click", () => act("/api/clock", { advance: button.dataset.advance }));
}

$("reset").addEventListener("click", () => act("/api/reset", {}));

$("composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const box = $("message");
  const text = box.value.trim();
  if (!text || page.busy) return;
  page.scrollDown = true;
  const answer = await act("/api/command", { as: page.as, conversation: page.conversation, text });
  page.scrollDown = false;
  if (answer) {
    box.value = "";
    drawHints(page.state.commands);
  }
});

$("message").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $("composer").requestSubmit();
  }
});

$("message").addEventListener("input", () => page.state && drawHints(page.state.commands));

$("modal-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const viewId = $("modal").dataset.viewId;
  await act("/api/submit", { as: page.as, view_id: viewId, values: formValues() }, $("modal-problem"));
});

$("modal-close").addEventListener("click", () => {
  act("/api/close", { as: page.as, view_id: $("modal").dataset.viewId }, $("modal-problem"));
});

$("modal").addEventListener("keydown", (event) => {
  // Escape closes the form as its Cancel button does, through the embedded Slack.
  if (event.key !== "Escape") return;
  event.preventDefault();
  $("modal-close").click();
});

async function poll() {
  if (!page.busy) {
    try {
      await refresh();
    } catch (error) {
      showProblem(error.message);
    }
  }
  setTimeout(poll, POLL_EVERY_MS);
}

// A person or conversation remembered in the browser (or typed in the address) may not exist
// here: start as the owner in their DM instead of showing an error forever.
refresh(true)
  .catch(() => {
    page.as = "UOLIVIA";
    page.conversation = "dm";
  })
  .then(() => open(page.conversation))
  .then(poll);
