// The lab console in the browser: builds the page from ./state, then keeps it live from ./events
// (server-sent events). Every URL is relative to the console's own /<token>/ path.
'use strict';

const maxWindowMs = 60_000;
const maxMarks = 2000;
let clockOffsetMs = 0;
const nowMs = () => performance.now() + clockOffsetMs;
// The lanes show the last minute, or, in the console's first minute, all of it (with room to grow).
const windowMs = () => Math.min(maxWindowMs, Math.max(10_000, nowMs() * 1.2));

const $ = (selector) => document.querySelector(selector);
function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

async function post(path, body = {}) {
  const answer = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await answer.json();
  if (!answer.ok) throw new Error(data.message || data.error || `HTTP ${answer.status}`);
  return data;
}

// --- lanes: one per node, and one for requests no node answered ---
const lanes = new Map();
function lane(node) {
  const name = node || 'no node';
  if (!lanes.has(name)) {
    const row = element('div', { class: 'lane', 'data-lane': name });
    row.append(element('div', { class: 'lane-label' }, name), element('div', { class: 'track' }));
    $('#lanes').append(row);
    lanes.set(name, row.querySelector('.track'));
  }
  return lanes.get(name);
}

const placed = [];
function place(node, atMs) {
  node.dataset.atMs = String(atMs);
  node.style.left = `${(100 * (atMs - (nowMs() - windowMs()))) / windowMs()}%`;
  placed.push(node);
}

function addRequest(request) {
  const mark = element('span', { class: 'mark', 'data-request': String(request.id), 'data-node': request.node || '', 'data-state': request.state });
  mark.title = `${request.method} ${request.path} → ${request.status} from ${request.node || 'nginx'}, session ${request.session || 'none'}${request.upstreamTries > 1 ? `, after ${request.upstreamTries} nodes` : ''} (${request.device ?? request.client})`;
  lane(request.node).append(mark);
  place(mark, request.atMs);
  if (placed.length > maxMarks) placed.shift().remove();
}

function addFault(fault) {
  const line = element('div', { class: 'fault-line', 'data-fault-line': fault.action });
  line.append(element('span', {}, `${fault.action} ${fault.target}${fault.type === 'ok' ? '' : ' (failed)'}`));
  $('#lanes').append(line);
  place(line, fault.atMs);
}

// Marks slide left as time goes; those older than the window go.
setInterval(() => {
  const span = windowMs();
  const from = nowMs() - span;
  for (let i = placed.length - 1; i >= 0; i--) {
    const node = placed[i];
    const atMs = Number(node.dataset.atMs);
    if (atMs < from) {
      node.remove();
      placed.splice(i, 1);
    } else node.style.left = `${(100 * (atMs - from)) / span}%`;
  }
  // The fault lines span the lane area, whose left part holds the labels.
  for (const line of document.querySelectorAll('.fault-line')) {
    const atMs = Number(line.dataset.atMs);
    line.style.left = `calc(90px + (100% - 90px) * ${(atMs - from) / span})`;
  }
}, 250);

// --- service cards ---
function card(service, faults) {
  const box = element('div', { class: 'card', 'data-service': service.name, 'data-status': service.status });
  const title = element('h3', {}, service.name);
  title.append(element('span', { class: 'status' }, service.status));
  box.append(title, element('div', { class: 'kind' }, service.kind));
  const buttons = element('div', { class: 'faults' });
  for (const fault of faults) {
    const button = element('button', { type: 'button', 'data-fault': fault }, fault);
    button.addEventListener('click', () => runFault(button, fault, service.name));
    buttons.append(button);
  }
  const logs = element('pre', { class: 'logs' });
  logs.textContent = service.logs.join('\n');
  box.append(buttons, logs);
  return box;
}

async function runFault(button, fault, target) {
  $('#fault-error').textContent = '';
  button.disabled = true;
  try {
    await post('faults', { fault, target });
  } catch (err) {
    $('#fault-error').textContent = `${fault} ${target}: ${err.message}`;
  } finally {
    button.disabled = false;
  }
}

function setStatus(name, status) {
  const box = document.querySelector(`.card[data-service="${CSS.escape(name)}"]`);
  if (!box) return;
  box.dataset.status = status;
  box.querySelector('.status').textContent = status;
}

function addLog(name, line) {
  const logs = document.querySelector(`.card[data-service="${CSS.escape(name)}"] pre`);
  if (!logs) return;
  const lines = (logs.textContent ? logs.textContent.split('\n') : []).concat(line).slice(-8);
  logs.textContent = lines.join('\n');
}

// --- stores ---
function showStores(stores) {
  const list = $('#stores');
  list.replaceChildren(
    ...stores.map((store) => {
      const item = element('li', { 'data-store': store.label });
      item.append(element('span', { 'data-store-sessions': String(store.sessions ?? '') }, store.sessions === null ? '–' : String(store.sessions)), ` sessions in ${store.label}`);
      return item;
    }),
  );
}

// --- devices ---
function deviceCard(name, verbs) {
  const box = element('div', { class: 'device', 'data-device': name });
  box.append(element('h3', {}, name));
  for (const verb of verbs) {
    const button = element('button', { type: 'button', 'data-verb': verb }, verb);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await post(`devices/${encodeURIComponent(name)}/${verb}`);
      } catch (err) {
        box.querySelector('.result').textContent = err.message;
      } finally {
        button.disabled = false;
      }
    });
    box.append(button);
  }
  box.append(element('div', { class: 'result' }));
  $('#devices').append(box);
}

function showDeviceResult(result) {
  const box = document.querySelector(`.device[data-device="${CSS.escape(result.name)}"] .result`);
  if (box) box.textContent = `${result.verb}: ${result.status ?? 'no answer'} from ${result.node || 'nginx'}, session ${result.session || 'none'}${result.seen ? ` → ${result.seen}` : ''}`;
}

async function main() {
  const state = await (await fetch('state')).json();
  clockOffsetMs = state.atMs - performance.now();
  const balancer = $('#balancer');
  balancer.href = state.balancerUrl;
  balancer.textContent = state.balancerUrl;
  for (const service of state.services.filter((s) => s.kind === 'app')) lane(service.name);
  for (const service of state.services) $('#cards').append(card(service, state.faults));
  for (const request of state.requests) addRequest(request);
  for (const fault of state.faultsDone) addFault(fault);
  showStores(state.stores);
  for (const name of state.devices) deviceCard(name, state.deviceVerbs);

  if (state.network) {
    $('#network-controls').hidden = false;
    $('#partition').addEventListener('click', () => runFault($('#partition'), 'partition', $('#partition-groups').value));
    $('#heal').addEventListener('click', () => runFault($('#heal'), 'heal', ''));
  }
  if (state.scale) {
    $('#scale-controls').hidden = false;
    $('#scale-out').addEventListener('click', () => runFault($('#scale-out'), 'scale-out', ''));
    $('#scale-in').addEventListener('click', () => runFault($('#scale-in'), 'scale-in', ''));
  }
  $('#new-device').addEventListener('click', async () => {
    const { name } = await post('devices');
    deviceCard(name, state.deviceVerbs);
  });
  $('#save-report').addEventListener('click', async () => {
    $('#report-path').textContent = 'saving…';
    try {
      $('#report-path').textContent = `written to ${(await post('report')).file}`;
    } catch (err) {
      $('#report-path').textContent = err.message;
    }
  });

  const events = new EventSource('events');
  const on = (name, handle) => events.addEventListener(name, (event) => handle(JSON.parse(event.data)));
  on('request', addRequest);
  on('fault', addFault);
  on('status', (s) => setStatus(s.service, s.status));
  on('log', (l) => addLog(l.service, l.line));
  on('stores', showStores);
  on('device', showDeviceResult);
  document.body.dataset.ready = 'true';
}

main().catch((err) => {
  $('#fault-error').textContent = `the console could not load: ${err.message}`;
});
