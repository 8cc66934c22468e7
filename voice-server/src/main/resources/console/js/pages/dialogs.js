// Dialogs and questionnaires: upload (problems shown at their line and field), the compiled script, test calls.
import { api } from '../api.js';
import { h, clear, table, when, errorBox, toast } from '../ui.js';
import { transcript } from './calls.js';

function typeOf(file) {
  const n = file.name.toLowerCase();
  if (n.endsWith('.json')) return 'application/json';
  if (n.endsWith('.csv')) return 'text/csv';
  return 'application/yaml';
}

function uploadForms(reload) {
  const dlgResult = h('div', { id: 'dialog-upload-result' });
  const dlg = h('form', { class: 'card', id: 'dialog-upload' }, h('h2', {}, 'Upload a dialog script'),
    h('p', { class: 'muted' }, 'A YAML or JSON dialog script. Uploading a script with the name of an existing dialog replaces it for the next calls.'),
    h('label', {}, 'Script file', h('input', { name: 'file', type: 'file', accept: '.yaml,.yml,.json', required: true })),
    h('button', { type: 'submit' }, 'Upload dialog'), dlgResult);
  dlg.addEventListener('submit', async e => {
    e.preventDefault();
    clear(dlgResult);
    const f = dlg.elements.file.files[0];
    try {
      const r = await api('POST', '/api/dialogs', await f.text(), typeOf(f));
      dlgResult.append(h('p', { class: 'ok' }, `Dialog "${r.name}" saved as version ${r.version}.`), warnings(r.warnings));
      reload(r.name);
    } catch (err) { dlgResult.append(errorBox(err)); }
  });

  const qResult = h('div', { id: 'questionnaire-result' });
  const q = h('form', { class: 'card', id: 'questionnaire-upload' }, h('h2', {}, 'Upload a questionnaire'),
    h('p', { class: 'muted' }, 'A CSV (header: question, type, choices, required, key; then one question per line) or a JSON questionnaire. It becomes a dialog of that name.'),
    h('label', {}, 'Dialog name (lower case, e.g. branch_survey)', h('input', { name: 'name', pattern: '[a-z][a-z0-9_]*' })),
    h('label', {}, 'Questionnaire file', h('input', { name: 'file', type: 'file', accept: '.csv,.json', required: true })),
    h('button', { type: 'submit' }, 'Upload questionnaire'), qResult);
  q.addEventListener('submit', async e => {
    e.preventDefault();
    clear(qResult);
    const f = q.elements.file.files[0];
    const name = q.elements.name.value.trim();
    try {
      const r = await api('POST', '/api/questionnaires' + (name ? '?name=' + encodeURIComponent(name) : ''),
        await f.text(), typeOf(f));
      qResult.append(h('p', { class: 'ok' }, `Questionnaire saved as dialog "${r.name}", version ${r.version}.`),
        warnings(r.warnings), h('h2', {}, 'The compiled dialog'), h('pre', { id: 'compiled-dialog' }, r.dialog));
      reload(r.name);
    } catch (err) { qResult.append(errorBox(err)); }
  });
  return [dlg, q];
}

function warnings(list) {
  return list && list.length ? h('ul', { class: 'muted' }, list.map(w => h('li', {}, 'Note: ' + w))) : null;
}

function testCallForm(dialogs, ctx) {
  const out = h('div', { id: 'test-call-result' });
  const form = h('form', { class: 'card', id: 'test-call' }, h('h2', {}, 'Test call'),
    h('p', { class: 'muted' }, 'A simulated caller phones the robot and answers each question in turn. One reply per line: words are spoken, #1 presses keys, an empty line stays silent.'),
    h('div', { class: 'row' },
      h('label', {}, 'Dialog', h('select', { name: 'dialog' }, dialogs.map(d => h('option', { value: d.name }, d.name)))),
      h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'inbound' }), 'Inbound (the caller phones in)')),
    h('div', { class: 'two' },
      h('label', {}, 'Replies', h('textarea', { name: 'replies', rows: 5, placeholder: 'yes\ni will pay\nnext friday' })),
      h('label', {}, 'Contact details (name=value per line)', h('textarea', { name: 'vars', rows: 5, placeholder: 'name=Ann Lee\namount=42.10' }))),
    h('button', { type: 'submit' }, 'Place test call'), out);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clear(out);
    const replies = form.elements.replies.value.split('\n').map(s => s.trim());
    while (replies.length && replies[replies.length - 1] === '') replies.pop();
    const variables = {};
    for (const line of form.elements.vars.value.split('\n')) {
      if (!line.trim()) continue;
      const i = line.indexOf('=');
      if (i < 1) { out.append(errorBox(new Error(`Contact details: "${line}" is not name=value`))); return; }
      variables[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
    const button = form.querySelector('button');
    button.disabled = true;
    const status = h('p', { id: 'test-call-status' }, 'Calling… the robot and the caller are talking; this takes as long as the call.');
    out.append(status);
    try {
      let s = await api('POST', '/api/dialogs/' + encodeURIComponent(form.elements.dialog.value) + '/test-calls',
        { replies, variables, inbound: form.elements.inbound.checked });
      while (s.state === 'queued' || s.state === 'running') {
        await new Promise(r => setTimeout(r, 1000));
        s = await api('GET', '/api/test-calls/' + s.id);
      }
      if (s.state === 'failed') throw new Error(s.error);
      const call = await api('GET', '/api/calls/' + s.callId);
      status.textContent = 'The call ended: ' + (call.outcome || 'no outcome').replace(/_/g, ' ') + '.';
      out.append(transcript(call), h('p', {}, h('a', { href: '#/calls/' + s.callId }, 'Open this call')));
    } catch (err) {
      status.remove();
      out.append(errorBox(err));
    } finally { button.disabled = false; }
  });
  return form;
}

export async function render(root, ctx, args) {
  root.append(h('h1', {}, 'Dialogs & questionnaires'));
  const list = h('div', { class: 'card', id: 'dialogs' });
  const view = h('div', { id: 'dialog-view' });
  async function show(name) {
    clear(view);
    const yaml = await api('GET', '/api/dialogs/' + encodeURIComponent(name));
    view.append(h('div', { class: 'card' }, h('h2', {}, 'Dialog "' + name + '" as calls run it now'),
      h('pre', {}, yaml)));
    view.scrollIntoView({ block: 'nearest' });
  }
  let dialogs = [];
  async function load() {
    dialogs = (await api('GET', '/api/dialogs')).dialogs;
    clear(list).append(h('h2', {}, 'Dialogs'), table([
      { title: 'Name', get: d => d.name },
      { title: 'What it does', get: d => d.description || '—' },
      { title: 'From', get: d => d.source === 'database' ? 'uploaded (version ' + d.version + ')' : 'server files' },
      { title: 'Changed', get: d => when(d.updatedAt) },
    ], dialogs, d => show(d.name).catch(e => view.append(errorBox(e))), 'No dialogs.'));
  }
  await load();
  const testHolder = h('div', {});
  const reload = name => load().then(() => {
    if (ctx.can('operator')) clear(testHolder).append(testCallForm(dialogs, ctx));
    toast('Dialog "' + name + '" is ready for calls.');
  }).catch(e => list.append(errorBox(e)));
  if (ctx.can('operator')) {
    root.append(...uploadForms(reload));
    testHolder.append(testCallForm(dialogs, ctx));
  }
  root.append(list, view, testHolder);
  if (args[0]) await show(args[0]);
}
