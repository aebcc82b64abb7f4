// The live dashboard. No build step and no library: the initial state comes from /dashboard/api/summary, live
// changes from /events (Server-Sent Events). EventSource cannot send an Authorization header, so /events is read with
// fetch() and a stream reader instead; the admin key therefore never appears in a URL (nor in access logs, history or
// Referer headers). It is kept in sessionStorage: gone when the tab closes.
'use strict';

const KEY_STORAGE = 'thumbnail.dashboard.key';
const TABLE_SIZE = 100;
const SUMMARY_EVERY_MS = 15000;
const RECONNECT_MS = 2000;

const state = {
  key: sessionStorage.getItem(KEY_STORAGE) || '',
  tasks: new Map(),         // taskId -> dashboard row
  counts: {},
  ranks: {},                // status -> its place in the lifecycle, from the server (TaskStatus.rank)
  thumbs: new Map(),        // taskId -> object URL of the fetched thumbnail
  selected: null,
  events: null,             // AbortController of the /events reader
};

const $ = (id) => document.getElementById(id);

function headers() {
  return state.key ? { Authorization: 'Bearer ' + state.key } : {};
}

async function api(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { ...headers(), ...(options.headers || {}) } });
  if (response.status === 401 || response.status === 403) {
    notice(response.status === 401
      ? 'Authentication is on: enter an admin key above.'
      : 'This key is not an admin key: the dashboard needs one.');
    throw new Error('HTTP ' + response.status);
  }
  return response;
}

function notice(text) {
  $('notice').hidden = !text;
  $('notice').textContent = text || '';
}

function connection(stateName, text) {
  $('connection').dataset.state = stateName;
  $('connection').textContent = text;
}

// ---- summary -------------------------------------------------------------------------------------------------------

async function loadSummary() {
  const response = await api('/dashboard/api/summary');
  if (!response.ok) {
    throw new Error('summary: HTTP ' + response.status);
  }
  const summary = await response.json();
  notice('');
  state.counts = summary.counts;
  state.ranks = summary.statusRanks;
  state.maxUploadBytes = summary.maxUploadBytes;
  $('upload-limit').textContent = megabytes(summary.maxUploadBytes);
  for (const row of summary.tasks) {
    const known = state.tasks.get(row.taskId);
    if (!known || rank(row.status) >= rank(known.status)) {
      state.tasks.set(row.taskId, row);
    }
  }
  renderCounts();
  renderTasks();
  renderWorkers(summary.workers);
  renderChart(summary.minutes);
}

// ---- live events ---------------------------------------------------------------------------------------------------

async function followEvents() {
  if (state.events) {
    state.events.abort();
  }
  const controller = new AbortController();
  state.events = controller;
  try {
    const response = await api('/events', { headers: { Accept: 'text/event-stream' }, signal: controller.signal });
    if (!response.ok || !response.body) {
      throw new Error('events: HTTP ' + response.status);
    }
    connection('live', 'live');
    // Anything folded before the stream opened is in a fresh summary.
    loadSummary().catch(() => {});
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        break;
      }
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  } catch (e) {
    if (controller.signal.aborted) {
      return;
    }
  }
  if (state.events === controller) {
    connection('error', 'reconnecting…');
    setTimeout(followEvents, RECONNECT_MS);
  }
}

function dispatch(block) {
  const data = block.split('\n').filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim()).join('\n');
  if (data) {
    applyRow(JSON.parse(data));
  }
}

// Statuses only move forward; both terminal ones share the highest rank. The order is the server's (TaskStatus).
function rank(status) {
  return status in state.ranks ? state.ranks[status] : -1;
}

function isTerminal(status) {
  return rank(status) === Math.max(...Object.values(state.ranks));
}

function applyRow(row) {
  const known = state.tasks.get(row.taskId);
  if (known && rank(row.status) <= rank(known.status)) {
    return; // a late or repeated notice: statuses only move forward
  }
  if (known) {
    state.counts[known.status] = Math.max(0, (state.counts[known.status] || 0) - 1);
  }
  state.counts[row.status] = (state.counts[row.status] || 0) + 1;
  state.tasks.set(row.taskId, row);
  renderCounts();
  renderTasks();
  if (state.selected === row.taskId) {
    showDetail(row.taskId);
  }
  if (isTerminal(row.status)) {
    refreshSoon();
  }
}

// A finished task moves the chart and the workers' counts: reload them once a burst of completions is over.
let refreshTimer = null;
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => loadSummary().catch(() => {}), 1000);
}

// ---- rendering -----------------------------------------------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('data-')) node.setAttribute(name, value);
    else node[name] = value;
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(child ?? ''));
  }
  return node;
}

function renderCounts() {
  for (const status of Object.keys(state.ranks)) {
    $('count-' + status).textContent = state.counts[status] || 0;
  }
}

const size = (pair) => (pair ? pair[0] + '×' + pair[1] : '');
const ms = (value) => (value === undefined || value === null ? '' : value < 1000 ? value + ' ms' : (value / 1000).toFixed(1) + ' s');
const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');

function renderTasks() {
  const rows = [...state.tasks.values()]
    .sort((a, b) => (b.createdAt || '').localeCompare(a.createdAt || ''))
    .slice(0, TABLE_SIZE);
  for (const id of [...state.tasks.keys()]) {
    if (!rows.some((row) => row.taskId === id)) {
      state.tasks.delete(id);
      forgetThumbnail(id);
    }
  }
  $('tasks').replaceChildren(...rows.map(taskRow));
}

function taskRow(row) {
  const preview = el('td', { class: 'preview' });
  if (row.status === 'SUCCESS' && row.thumbnailUrl) {
    const img = el('img', { class: 'thumb', alt: 'thumbnail of ' + (row.filename || row.taskId) });
    preview.append(img);
    thumbnail(row).then((url) => { if (url) img.src = url; });
  }
  const tr = el('tr', { 'data-task-id': row.taskId, 'data-status': row.status,
    class: state.selected === row.taskId ? 'selected' : '' },
  preview,
  el('td', { class: 'id', title: row.taskId }, row.taskId.slice(0, 8)),
  el('td', {}, row.filename || ''),
  el('td', {}, el('span', { class: 'status ' + row.status }, row.status)),
  el('td', {}, [size(row.originalSize), row.originalFormat].filter(Boolean).join(' ')),
  el('td', {}, [size(row.thumbnailSize), row.thumbnailFormat].filter(Boolean).join(' ')),
  el('td', { title: 'upload → finished: ' + ms(row.totalMs) }, ms(row.processingMs)),
  el('td', {}, row.worker || ''),
  el('td', { title: row.errorMessage || '' }, row.errorCode || ''));
  tr.addEventListener('click', () => showDetail(row.taskId));
  return tr;
}

// <img src> cannot carry the Authorization header: fetch the bytes and show them from an object URL.
async function thumbnail(row) {
  if (!state.thumbs.has(row.taskId)) {
    state.thumbs.set(row.taskId, api(row.thumbnailUrl)
      .then((response) => (response.ok ? response.blob() : null))
      .then((blob) => (blob ? URL.createObjectURL(blob) : null))
      .catch(() => null));
  }
  return state.thumbs.get(row.taskId);
}

function forgetThumbnail(taskId) {
  const url = state.thumbs.get(taskId);
  state.thumbs.delete(taskId);
  if (url) url.then((u) => u && URL.revokeObjectURL(u));
}

function renderWorkers(workers) {
  $('workers').replaceChildren(...workers.map((worker) => el('tr', {},
    el('td', { class: 'id' }, worker.id), el('td', {}, String(worker.tasksDone)), el('td', {}, time(worker.lastSeen)))));
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderChart(minutes) {
  const chart = $('chart');
  const width = 600, height = 160, left = 30, right = 40, top = 10, bottom = 20;
  const plotW = width - left - right, plotH = height - top - bottom;
  const maxDone = Math.max(1, ...minutes.map((m) => m.succeeded + m.failed));
  const maxLatency = Math.max(1, ...minutes.map((m) => m.averageLatencyMs || 0));
  const slot = plotW / Math.max(1, minutes.length);
  const nodes = [
    svg('line', { x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH, stroke: '#dde1e8' }),
    svg('text', { x: 2, y: top + 8, 'font-size': 10, fill: '#6b7385' }, String(maxDone)),
    svg('text', { x: left + plotW + 4, y: top + 8, 'font-size': 10, fill: '#2f6fde' }, ms(maxLatency)),
  ];
  const points = [];
  minutes.forEach((m, i) => {
    const x = left + i * slot + 2;
    const done = (m.succeeded / maxDone) * plotH;
    const failed = (m.failed / maxDone) * plotH;
    nodes.push(svg('rect', { x, y: top + plotH - done, width: slot - 4, height: done, fill: '#1f9d55' }));
    nodes.push(svg('rect', { x, y: top + plotH - done - failed, width: slot - 4, height: failed, fill: '#d64545' }));
    if (m.averageLatencyMs !== undefined && m.averageLatencyMs !== null) {
      points.push((x + slot / 2 - 2) + ',' + (top + plotH - (m.averageLatencyMs / maxLatency) * plotH));
    }
    if (i % 5 === 0 || i === minutes.length - 1) {
      nodes.push(svg('text', { x, y: height - 4, 'font-size': 10, fill: '#6b7385' },
        new Date(m.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })));
    }
  });
  if (points.length) {
    nodes.push(svg('polyline', { points: points.join(' '), fill: 'none', stroke: '#2f6fde', 'stroke-width': 2 }));
  }
  $('window-minutes').textContent = String(minutes.length);
  chart.replaceChildren(...nodes);
}

// ---- task detail ---------------------------------------------------------------------------------------------------

async function showDetail(taskId) {
  state.selected = taskId;
  for (const tr of document.querySelectorAll('#tasks tr')) {
    tr.classList.toggle('selected', tr.dataset.taskId === taskId);
  }
  const response = await api('/dashboard/api/tasks/' + encodeURIComponent(taskId));
  if (!response.ok || state.selected !== taskId) {
    return;
  }
  const detail = await response.json();
  const task = detail.task;
  $('detail').hidden = false;
  $('detail-id').textContent = task.taskId;
  const fields = [['status', task.status], ['name', task.filename], ['created', task.createdAt],
    ['original', [size(task.originalSize), task.originalFormat, task.originalBytes && task.originalBytes + ' B'].filter(Boolean).join(' ')],
    ['thumbnail', [size(task.thumbnailSize), task.thumbnailFormat, task.thumbnailBytes && task.thumbnailBytes + ' B'].filter(Boolean).join(' ')],
    ['worker', task.worker], ['processing', ms(task.processingMs)], ['upload → finished', ms(task.totalMs)],
    ['error', task.errorCode && task.errorCode + ': ' + task.errorMessage]];
  $('detail-fields').replaceChildren(...fields.filter(([, v]) => v).flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, String(v))]));
  $('detail-timeline').replaceChildren(...detail.timeline.map((change) => el('li', { class: change.status },
    el('strong', {}, change.status), ' at ' + new Date(change.at).toLocaleTimeString() + '.'
      + String(new Date(change.at).getMilliseconds()).padStart(3, '0'),
    change.worker ? ' by ' + change.worker : '')));
  const img = $('detail-thumb');
  img.hidden = true;
  if (task.status === 'SUCCESS' && task.thumbnailUrl) {
    const url = await thumbnail(task);
    if (url && state.selected === taskId) {
      img.src = url;
      img.hidden = false;
    }
  }
}

// ---- upload --------------------------------------------------------------------------------------------------------

function megabytes(bytes) {
  return (bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1) + ' MB';
}

async function upload(file) {
  const item = el('li', {}, file.name + ': uploading…');
  $('upload-results').prepend(item);
  if (state.maxUploadBytes && file.size > state.maxUploadBytes) {
    // Not sent: the service would refuse it (413), and a browser may see only a network error for a large body.
    item.textContent = file.name + ': ' + megabytes(file.size) + ' is over the ' + megabytes(state.maxUploadBytes)
      + ' limit per image, not sent';
    item.className = 'error too-large';
    return;
  }
  const form = new FormData();
  form.append('image_data', file, file.name);
  try {
    const response = await fetch('/create', { method: 'POST', body: form, headers: headers() });
    const body = await response.json();
    if (response.ok) {
      item.textContent = file.name + ': task ' + body.data.task_id;
      item.dataset.taskId = body.data.task_id;
      item.className = 'uploaded';
    } else {
      item.textContent = file.name + ': ' + (body.detail || 'HTTP ' + response.status);
      item.className = 'error';
    }
  } catch (e) {
    item.textContent = file.name + ': ' + e.message;
    item.className = 'error';
  }
}

function setUpUpload() {
  const zone = $('drop-zone');
  $('file-input').addEventListener('change', (event) => {
    [...event.target.files].forEach(upload);
    event.target.value = '';
  });
  zone.addEventListener('dragover', (event) => { event.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    [...event.dataTransfer.files].forEach(upload);
  });
}

// ---- start ---------------------------------------------------------------------------------------------------------

function start() {
  $('admin-key').value = state.key;
  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    state.key = $('admin-key').value.trim();
    if (state.key) sessionStorage.setItem(KEY_STORAGE, state.key); else sessionStorage.removeItem(KEY_STORAGE);
    state.thumbs.clear();
    followEvents();
  });
  $('detail-close').addEventListener('click', () => { state.selected = null; $('detail').hidden = true; renderTasks(); });
  setUpUpload();
  followEvents();
  // Chart and workers are per-minute figures: refreshing them now and then is enough.
  setInterval(() => loadSummary().catch(() => {}), SUMMARY_EVERY_MS);
}

start();
