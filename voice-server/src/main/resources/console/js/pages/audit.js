// Audit log (admins): every change made through the API or the command line, newest first, in plain words.
import { api } from '../api.js';
import { h, clear, table, when, words, errorBox } from '../ui.js';

const PHRASES = {
  'POST /api/lists': 'uploaded a call list',
  'POST /api/campaigns': 'created a campaign',
  'POST /api/campaigns/{id}/start': 'started a campaign',
  'POST /api/campaigns/{id}/pause': 'paused a campaign',
  'POST /api/campaigns/{id}/resume': 'resumed a campaign',
  'POST /api/campaigns/{id}/stop': 'stopped a campaign',
  'POST /api/dialogs': 'uploaded a dialog',
  'POST /api/questionnaires': 'uploaded a questionnaire',
  'POST /api/dialogs/{name}/test-calls': 'placed a test call',
  'POST /api/tokens': 'created an access token',
  'DELETE /api/tokens/{id}': 'revoked an access token',
  'POST /api/dnc': 'added a number to do-not-call',
  'DELETE /api/dnc/{phone}': 'removed a number from do-not-call',
  'PUT /api/qa/rules': 'changed the quality rules',
  'POST /api/tasks/{id}/claim': 'claimed a task',
  'POST /api/tasks/{id}/close': 'closed a task',
  'POST /api/events': 'sent an event',
  'PUT /api/event-types/{type}': 'changed an event type',
  'DELETE /api/event-types/{type}': 'removed an event type',
  'cli token create': 'created an access token (command line)',
  'cli token revoke': 'revoked an access token (command line)',
  'cli import-list': 'imported a call list (command line)',
};

function what(e) {
  return PHRASES[e.action] || words(e.action);
}

/** The target in words: a name instead of a row number where the console knows it. */
function target(e, names) {
  const t = e.target || '';
  const m = /^([a-z_]+)=(.*)$/.exec(t);
  if (!m) return t || '—';
  const [, key, value] = m;
  if (key !== 'id') return value;
  const kind = (e.action || '').includes('/campaigns') ? 'campaign' : (e.action || '').includes('/lists') ? 'list'
    : (e.action || '').includes('token') ? 'token' : null;
  return (kind && names[kind].get(Number(value))) || '—';
}

export async function render(root) {
  root.append(h('h1', {}, 'Audit log'));
  const box = h('div', { class: 'card', id: 'audit' });
  root.append(box);
  const [c, l, t] = await Promise.all([api('GET', '/api/campaigns'), api('GET', '/api/lists'), api('GET', '/api/tokens')]);
  const names = {
    campaign: new Map(c.campaigns.map(x => [x.id, x.name])),
    list: new Map(l.lists.map(x => [x.id, x.name])),
    token: new Map(t.tokens.map(x => [x.id, x.name + ' (' + x.role + ')'])),
  };
  let rows = [];
  async function load(cursor) {
    const b = await api('GET', '/api/audit?limit=100' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    rows = cursor ? rows.concat(b.entries) : b.entries;
    clear(box).append(table([
      { title: 'When', get: e => when(e.at) },
      { title: 'Who', get: e => e.actor },
      { title: 'What', get: e => what(e) },
      { title: 'Which', get: e => target(e, names) },
    ], rows, null, 'Nothing changed yet.'));
    if (b.nextCursor) box.append(h('button', { type: 'button', class: 'secondary', onclick: () => load(b.nextCursor).catch(e => box.append(errorBox(e))) }, 'Show more'));
  }
  await load(null);
}
