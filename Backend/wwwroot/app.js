// The chat page: signs in, shows the connection state and streams answers into the page.
// Protocol work lives in session.js; tokens in auth.js (memory only).
import { TokenStore } from './auth.js';
import { ChatSession } from './session.js';

const $ = selector => document.querySelector(selector);
const tokens = new TokenStore();
let session = null;
let promptCount = 0;

function log(text) {
  const entry = document.createElement('li');
  entry.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  $('#log').append(entry);
  entry.scrollIntoView({ block: 'nearest' });
}

function showState({ status, replayCount, downtimeMs, reason, code }) {
  const label = {
    connected: 'connected',
    resuming: 'resuming…',
    resumed: `resumed (${replayCount} messages)`,
    closed: `closed (${code})`,
  }[status];
  const output = $('#connection');
  output.dataset.status = status;
  output.textContent = label;
  const after = downtimeMs === undefined ? '' : ` after ${downtimeMs} ms`;
  const why = reason ? ` — ${reason}` : '';
  log(`${label}${status === 'resuming' ? why : after}${status === 'connected' && reason ? why : ''}`);
}

// One block per run: the prompt, then its chunks in index order. Event seqs arrive exactly once
// (the session drops duplicates), so appending is enough.
function turn(runId) {
  let block = document.querySelector(`.turn[data-run-id="${CSS.escape(runId)}"]`);
  if (!block) {
    block = document.createElement('article');
    block.className = 'turn';
    block.dataset.runId = runId;
    block.dataset.state = 'waiting';
    block.dataset.chunks = '0';
    block.innerHTML = '<div class="prompt"></div><div class="answer"></div>';
    $('#answers').append(block);
  }
  return block;
}

function showEvent({ detail: event }) {
  if (!event.runId) return;
  const block = turn(event.runId);
  if (event.kind === 'stream.start') block.dataset.state = 'streaming';
  if (event.kind === 'stream.chunk') {
    block.querySelector('.answer').append(event.text);
    block.dataset.chunks = String(Number(block.dataset.chunks) + 1);
  }
  if (event.kind === 'stream.end') block.dataset.state = 'done';
}

function showToken({ detail }) {
  $('#token').textContent = `token expires ${new Date(detail.expiresAt).toLocaleTimeString()}`;
  if (detail.refreshed) log(`token refreshed in-band, expires ${new Date(detail.expiresAt).toLocaleTimeString()}`);
}

$('#sign-in').addEventListener('submit', async submit => {
  submit.preventDefault();
  const form = new FormData(submit.target);
  $('#sign-in-error').textContent = '';
  try {
    await tokens.signIn(form.get('username'), form.get('password'));
  } catch (error) {
    $('#sign-in-error').textContent = error.message;
    return;
  }
  $('#user').textContent = `signed in as ${form.get('username')}`;
  submit.target.reset();
  submit.target.hidden = true;
  $('#chat').hidden = false;
  // The socket goes to the address the page came from, so the same-origin rule admits it.
  session = new ChatSession(new URL('ws', location.href.replace(/^http/, 'ws')), tokens);
  session.addEventListener('state', event => showState(event.detail));
  session.addEventListener('event', showEvent);
  session.addEventListener('token', showToken);
  session.addEventListener('note', event => log(event.detail));
  session.start();
});

$('#prompt').addEventListener('submit', submit => {
  submit.preventDefault();
  const input = submit.target.elements.text;
  // Ids are unique within this page's session: the server treats a repeated id as the same prompt.
  const id = `p${++promptCount}-${crypto.randomUUID().slice(0, 8)}`;
  turn(id).querySelector('.prompt').textContent = input.value;
  session.prompt(id, input.value);
  input.value = '';
});

$('#refresh').addEventListener('click', () =>
  session.refreshToken('button').catch(error => log(`refresh failed: ${error.message}`)));

$('#sign-out').addEventListener('click', () => {
  session.close();
  tokens.forget();
  location.reload();
});
