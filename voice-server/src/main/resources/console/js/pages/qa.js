// Quality flags: calls the QA rules flagged, newest first.
import { api } from '../api.js';
import { h, clear, table, when, words, errorBox } from '../ui.js';

export async function render(root, ctx) {
  root.append(h('h1', {}, 'Quality flags'),
    h('p', { class: 'muted' }, 'Calls where a quality rule found something: a disclosure cut short, a forbidden phrase, a long silence, repeated misunderstandings.'));
  const box = h('div', { class: 'card', id: 'qa-flags' });
  root.append(box);
  const campaigns = new Map((await api('GET', '/api/campaigns')).campaigns.map(c => [c.id, c.name]));
  let rows = [];
  async function load(before) {
    const b = await api('GET', '/api/qa?limit=50' + (before ? '&before=' + before : ''));
    rows = before ? rows.concat(b.flags) : b.flags;
    clear(box).append(table([
      { title: 'When', get: f => when(f.flagged_at) },
      { title: 'Rule', get: f => words(f.rule) },
      { title: 'Campaign', get: f => campaigns.get(f.campaign_id) || '—' },
      { title: 'What happened', get: f => f.detail },
      { title: 'Turn', get: f => f.turn ?? '—' },
    ], rows, f => ctx.go('#/calls/' + f.call), 'No call has been flagged.'));
    if (b.next_before) box.append(h('button', { type: 'button', class: 'secondary', onclick: () => load(b.next_before).catch(e => box.append(errorBox(e))) }, 'Show more'));
  }
  await load(null);
  if (ctx.can('operator')) {
    const rules = await api('GET', '/api/qa/rules');
    root.append(h('div', { class: 'card' }, h('h2', {}, 'Rules in force'), table([
      { title: 'Rule', get: r => words(r.name) },
      { title: 'Kind', get: r => words(r.kind) },
      { title: 'Checks', get: r => r.text || (r.phrases || []).join(', ') || (r.max_ms ? r.max_ms + ' ms' : '') || (r.count ? r.count + ' in a row' : '—') },
    ], rules.rules || [])));
  }
}
