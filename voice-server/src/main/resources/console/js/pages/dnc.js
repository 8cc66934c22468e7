// Do-not-call list: anyone may add a number; operators see the list and may remove numbers.
import { api } from '../api.js';
import { h, clear, table, when, words, errorBox, toast } from '../ui.js';

export async function render(root, ctx) {
  root.append(h('h1', {}, 'Do not call'));
  const out = h('div', {});
  const form = h('form', { class: 'card', id: 'dnc-add' }, h('h2', {}, 'Add a number'),
    h('div', { class: 'row' },
      h('label', {}, 'Phone number', h('input', { name: 'phone', type: 'tel', required: true })),
      h('label', {}, 'Reason', h('input', { name: 'reason', placeholder: 'asked on the phone' })),
      h('label', {}, 'Until (optional)', h('input', { name: 'until', type: 'date' })),
      h('button', { type: 'submit' }, 'Add')), out);
  const list = h('div', { class: 'card', id: 'dnc-list' });
  root.append(form);
  if (ctx.can('operator')) root.append(list);
  let rows = [];
  async function load(after) {
    if (!ctx.can('operator')) return;
    const b = await api('GET', '/api/dnc?limit=100' + (after ? '&after=' + encodeURIComponent(after) : ''));
    rows = after ? rows.concat(b.entries) : b.entries;
    clear(list).append(h('h2', {}, 'Numbers not to call'), table([
      { title: 'Phone', get: e => e.phone },
      { title: 'Reason', get: e => e.reason || '—' },
      { title: 'From', get: e => words(e.source) },
      { title: 'Added', get: e => when(e.created_at) },
      { title: 'Until', get: e => e.expires_at ? when(e.expires_at) : 'for good' },
      { title: '', get: e => h('button', { type: 'button', class: 'secondary', onclick: async () => {
        if (!confirm('Allow calls to ' + e.phone + ' again?')) return;
        try { await api('DELETE', '/api/dnc/' + encodeURIComponent(e.phone)); toast('Removed.'); load(null); }
        catch (err) { list.prepend(errorBox(err)); }
      } }, 'Remove') },
    ], rows, null, 'The list is empty.'));
    if (b.next) list.append(h('button', { type: 'button', class: 'secondary', onclick: () => load(b.next) }, 'Show more'));
  }
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clear(out);
    const body = { phone: form.elements.phone.value.trim() };
    if (form.elements.reason.value.trim()) body.reason = form.elements.reason.value.trim();
    if (form.elements.until.value) body.expires_at = new Date(form.elements.until.value + 'T00:00:00Z').toISOString();
    try {
      const r = await api('POST', '/api/dnc', body);
      out.append(h('p', { class: 'ok' }, r.phone + ' will not be called' + (r.expires_at ? ' until ' + when(r.expires_at) : '') + '.'));
      form.reset();
      await load(null);
    } catch (err) { out.append(errorBox(err)); }
  });
  await load(null);
}
