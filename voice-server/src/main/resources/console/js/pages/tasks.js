// Follow-up tasks for people: open ones first; claim and close with a note.
import { api } from '../api.js';
import { h, clear, table, when, words, badge, errorBox, toast } from '../ui.js';

export async function render(root, ctx) {
  root.append(h('h1', {}, 'Follow-up tasks'));
  const filter = h('select', { id: 'task-state' }, h('option', { value: 'open' }, 'open'),
    h('option', { value: 'closed' }, 'closed'), h('option', { value: '' }, 'all'));
  const box = h('div', { class: 'card', id: 'tasks' });
  root.append(h('label', { class: 'inline' }, 'Show ', filter), box);
  let rows = [];
  async function act(t, verb) {
    try {
      let body = null;
      if (verb === 'close') {
        const note = prompt('What was done? (kept with the task)', '');
        if (note === null) return;
        body = note ? { note } : null;
      }
      await api('POST', `/api/tasks/${t.id}/${verb}`, body);
      toast(verb === 'claim' ? 'The task is yours.' : 'Task closed.');
    } catch (e) { box.prepend(errorBox(e)); }
    load(null);
  }
  async function load(cursor) {
    const q = new URLSearchParams({ limit: '50' });
    if (filter.value) q.set('state', filter.value);
    if (cursor) q.set('cursor', cursor);
    const b = await api('GET', '/api/tasks?' + q);
    rows = cursor ? rows.concat(b.tasks) : b.tasks;
    clear(box).append(table([
      { title: 'Created', get: t => when(t.created_at) },
      { title: 'Why', get: t => words(t.reason) },
      { title: 'Phone', get: t => t.phone || '—' },
      { title: 'State', get: t => badge(t.state) },
      { title: 'Who has it', get: t => t.claimed_by || '—' },
      { title: 'Note', get: t => t.close_note || t.note || '—' },
      { title: '', get: t => [
        t.call ? h('a', { href: '#/calls/' + t.call_id }, 'Call') : null, ' ',
        t.state === 'open' && t.claimed_by !== ctx.name ? h('button', { type: 'button', class: 'secondary', onclick: () => act(t, 'claim') }, 'Claim') : null, ' ',
        t.state === 'open' ? h('button', { type: 'button', onclick: () => act(t, 'close') }, 'Close') : null] },
    ], rows, null, 'No tasks.'));
    if (b.next_cursor) box.append(h('button', { type: 'button', class: 'secondary', onclick: () => load(b.next_cursor) }, 'Show more'));
  }
  filter.addEventListener('change', () => load(null).catch(e => box.append(errorBox(e))));
  await load(null);
}
