// Call lists: upload a CSV with a progress bar and see each rejected row; browse lists, contacts and rejections.
import { api, upload } from '../api.js';
import { h, clear, table, when, words, errorBox, bar } from '../ui.js';

function rejectionsTable(rows) {
  return table([
    { title: 'Line', get: r => r.line },
    { title: 'Column', get: r => words(r.column) },
    { title: 'Why it was rejected', get: r => r.reason },
  ], rows, null, 'No rows were rejected.');
}

function uploadForm(ctx, dialogs, done) {
  const result = h('div', { id: 'list-upload-result' });
  const progress = h('div', { id: 'list-upload-progress' });
  const form = h('form', { class: 'card', id: 'list-upload' },
    h('h2', {}, 'Upload a call list'),
    h('p', { class: 'muted' }, 'A CSV file with a phone column and the fields the dialog needs (for example name, amount, due_date).'),
    h('div', { class: 'row' },
      h('label', {}, 'List name', h('input', { name: 'name', required: true, maxlength: 200 })),
      h('label', {}, 'Country for numbers without +', h('input', { name: 'region', placeholder: 'US', maxlength: 2 })),
      h('label', {}, 'Dialog it is for', h('select', { name: 'dialog' }, h('option', { value: '' }, '(any)'),
        dialogs.map(d => h('option', { value: d.name }, d.name))))),
    h('label', {}, 'CSV file', h('input', { name: 'file', type: 'file', accept: '.csv,text/csv', required: true })),
    h('button', { type: 'submit' }, 'Upload'), progress, result);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clear(result);
    const f = form.elements.file.files[0];
    if (!f) return;
    const q = new URLSearchParams({ name: form.elements.name.value.trim() });
    if (form.elements.region.value.trim()) q.set('region', form.elements.region.value.trim().toUpperCase());
    if (form.elements.dialog.value) q.set('dialog', form.elements.dialog.value);
    const label = h('span', {}, 'Uploading… 0%');
    clear(progress).append(label, bar(0));
    form.querySelector('button').disabled = true;
    try {
      const r = await upload('POST', '/api/lists?' + q, f, 'text/csv', p => {
        label.textContent = p < 1 ? 'Uploading… ' + Math.round(p * 100) + '%' : 'Uploaded; checking the rows…';
        progress.replaceChild(bar(p), progress.lastChild);
      });
      clear(progress);
      result.append(h('p', { class: r.rejected ? 'error' : 'ok', id: 'list-upload-summary' },
        `${r.rows} rows read: ${r.imported} imported, ${r.rejected} rejected, ${r.duplicates} duplicates, `
        + `${r.do_not_call} on the do-not-call list.`));
      if (r.rejected) {
        result.append(h('h2', {}, 'Rejected rows'), rejectionsTable(r.rejections));
        if (r.rejections_truncated) result.append(h('p', { class: 'muted' }, 'Only the first 10,000 are shown here; open the list to see all.'));
      }
      form.elements.file.value = '';
      done();
    } catch (err) {
      clear(progress);
      result.append(errorBox(err));
    } finally {
      form.querySelector('button').disabled = false;
    }
  });
  return form;
}

async function listDetail(root, ctx, id) {
  const l = await api('GET', '/api/lists/' + encodeURIComponent(id));
  root.append(h('p', {}, h('a', { href: '#/lists' }, '← All call lists')),
    h('h1', {}, l.name),
    h('p', {}, `${l.rows} rows · ${l.imported} imported · ${l.rejected} rejected · ${l.duplicates} duplicates · `
      + `${l.do_not_call} do not call · uploaded ${when(l.created_at)}` + (l.dialog ? ' · for ' + l.dialog : '')),
    l.state === 'ready' ? null : h('p', { class: l.error ? 'error' : 'muted', id: 'list-state' },
      words(l.state) + (l.error ? ': ' + l.error : '')));
  const contacts = h('div', { class: 'card', id: 'list-contacts' }, h('h2', {}, 'Contacts'));
  const rejections = h('div', { class: 'card', id: 'list-rejections' }, h('h2', {}, 'Rejected rows'));
  root.append(contacts, rejections);
  await pager(contacts, after => api('GET', `/api/lists/${id}/contacts?limit=50` + (after ? '&after=' + after : '')),
    b => b.contacts, [
      { title: 'Line', get: c => c.line },
      { title: 'Phone', get: c => c.phone },
      { title: 'Name', get: c => c.name || '—' },
      { title: 'Details', get: c => Object.entries(c.fields || {}).map(([k, v]) => words(k) + ': ' + v).join(', ') || '—' },
      { title: 'Time zone', get: c => c.timezone || '—' },
      { title: 'State', get: c => words(c.state) },
    ], 'No contacts in this list.');
  await pager(rejections, after => api('GET', `/api/lists/${id}/rejections?limit=50` + (after ? '&after=' + after : '')),
    b => b.rejections, [
      { title: 'Line', get: r => r.line },
      { title: 'Column', get: r => words(r.column) },
      { title: 'Why it was rejected', get: r => r.reason },
    ], 'No rows were rejected.');
}

/** Pages through an "after/next" listing with a More button. */
async function pager(box, fetchPage, rowsOf, cols, empty) {
  const holder = h('div', {});
  box.append(holder);
  let all = [];
  async function more(after) {
    const b = await fetchPage(after);
    all = all.concat(rowsOf(b));
    clear(holder).append(table(cols, all, null, empty));
    if (b.next) holder.append(h('button', { class: 'secondary', type: 'button', onclick: () => more(b.next).catch(e => holder.append(errorBox(e))) }, 'Show more'));
  }
  await more(null);
}

export async function render(root, ctx, args) {
  if (args[0]) return listDetail(root, ctx, args[0]);
  root.append(h('h1', {}, 'Call lists'));
  const lists = h('div', { class: 'card', id: 'lists' });
  async function load() {
    const b = await api('GET', '/api/lists');
    clear(lists).append(h('h2', {}, 'Uploaded lists'), table([
      { title: 'Name', get: l => l.name },
      { title: 'Rows', get: l => l.rows },
      { title: 'Imported', get: l => l.imported },
      { title: 'Rejected', get: l => l.rejected },
      { title: 'Dialog', get: l => l.dialog || '—' },
      { title: 'State', get: l => words(l.state) },
      { title: 'Uploaded', get: l => when(l.created_at) },
    ], b.lists, l => ctx.go('#/lists/' + l.id), 'No call lists yet.'));
  }
  if (ctx.can('operator')) {
    const dialogs = await api('GET', '/api/dialogs');
    root.append(uploadForm(ctx, dialogs.dialogs, () => load().catch(e => lists.append(errorBox(e)))));
  }
  root.append(lists);
  await load();
}
