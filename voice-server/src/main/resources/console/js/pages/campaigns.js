// Campaigns: create, start/pause/resume/stop, progress, funnel and outcome charts, answers per question, export.
import { api, blob } from '../api.js';
import { h, clear, table, when, words, badge, errorBox, hbars, bar, download, toast } from '../ui.js';

const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
const EVERY_MS = 2000;

function createForm(dialogs, lists, done) {
  const out = h('div', {});
  const form = h('form', { class: 'card', id: 'campaign-create' }, h('h2', {}, 'New campaign'),
    h('div', { class: 'row' },
      h('label', {}, 'Name', h('input', { name: 'name', required: true, maxlength: 200 })),
      h('label', {}, 'Dialog', h('select', { name: 'dialog', required: true }, dialogs.map(d => h('option', { value: d.name }, d.name))))),
    h('fieldset', { class: 'lists' }, h('legend', {}, 'Call lists'),
      lists.length ? lists.map(l => h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'lists', value: l.id }),
        l.name + ' (' + l.imported + ' contacts)')) : h('p', { class: 'muted' }, 'Upload a call list first.')),
    h('div', { class: 'row' },
      h('label', {}, 'Calling hours from', h('input', { name: 'start', type: 'time', value: '09:00', required: true })),
      h('label', {}, 'to', h('input', { name: 'end', type: 'time', value: '20:00', required: true })),
      h('label', {}, 'Calls at once', h('input', { name: 'concurrency', type: 'number', min: 1, max: 500, value: 5 })),
      h('label', {}, 'Attempts per contact', h('input', { name: 'attempts', type: 'number', min: 1, max: 20, value: 3 }))),
    h('fieldset', {}, h('legend', {}, 'Days'), DAYS.map(d => h('label', { class: 'inline' },
      h('input', { type: 'checkbox', name: 'days', value: d, checked: !['SAT', 'SUN'].includes(d) }), d.charAt(0) + d.slice(1).toLowerCase()))),
    h('p', { class: 'muted' }, 'Calling hours are in each contact\'s own time zone; the compliance rules of the server apply on top.'),
    h('button', { type: 'submit' }, 'Create campaign'), out);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clear(out);
    const checked = n => [...form.querySelectorAll(`input[name=${n}]:checked`)].map(i => i.value);
    try {
      const c = await api('POST', '/api/campaigns', {
        name: form.elements.name.value.trim(), dialog: form.elements.dialog.value,
        lists: checked('lists').map(Number),
        window: { start: form.elements.start.value, end: form.elements.end.value, days: checked('days') },
        max_concurrent_calls: Number(form.elements.concurrency.value),
        retry: { max_attempts: Number(form.elements.attempts.value) },
      });
      toast('Campaign "' + c.name + '" created.');
      done(c);
    } catch (err) { out.append(errorBox(err)); }
  });
  return form;
}

function settled(p) {
  const total = Object.values(p.contacts).reduce((a, b) => a + b, 0);
  return { total, finished: (p.contacts.done || 0) + (p.contacts.exhausted || 0) + (p.contacts.cancelled || 0) };
}

/** Lists that are not ready: one still importing is waited for, one that failed is not called (and why). */
function listNotes(lists) {
  const notes = lists.filter(l => l.state !== 'ready').map(l => l.state === 'failed'
    ? h('p', { class: 'error' }, h('a', { href: '#/lists/' + l.id }, l.name), ' failed to import; its contacts are not called: ' + (l.error || ''))
    : h('p', { class: 'muted' }, h('a', { href: '#/lists/' + l.id }, l.name), ' is still importing; its contacts are called when it is done.'));
  return h('div', { id: 'campaign-lists' }, notes);
}

async function detail(root, ctx, id) {
  let stopped = false, timer = null;
  const head = h('div', {}), progress = h('div', { class: 'card', id: 'campaign-progress' });
  const charts = h('div', { id: 'campaign-results' });
  root.append(h('p', {}, h('a', { href: '#/campaigns' }, '← All campaigns')), head, progress, charts);

  async function act(verb) {
    try {
      await api('POST', `/api/campaigns/${id}/${verb}`);
      toast({ start: 'Started.', pause: 'Paused.', resume: 'Resumed.', stop: 'Stopped.' }[verb]);
    } catch (e) { head.append(errorBox(e)); }
    refresh();
  }

  async function refresh() {
    const c = await api('GET', '/api/campaigns/' + id);
    const res = await api('GET', `/api/campaigns/${id}/results`).catch(() => null);
    const qa = await api('GET', `/api/campaigns/${id}/qa`).catch(() => null);
    if (stopped) return;
    const buttons = [];
    if (ctx.can('operator')) {
      if (c.state === 'draft') buttons.push(h('button', { type: 'button', id: 'campaign-start', onclick: () => act('start') }, 'Start'));
      if (c.state === 'running') buttons.push(h('button', { type: 'button', class: 'secondary', id: 'campaign-pause', onclick: () => act('pause') }, 'Pause'));
      if (c.state === 'paused') buttons.push(h('button', { type: 'button', id: 'campaign-resume', onclick: () => act('resume') }, 'Resume'));
      if (c.state === 'running' || c.state === 'paused') buttons.push(h('button', { type: 'button', class: 'danger', id: 'campaign-stop', onclick: () => { if (confirm('Stop this campaign for good? No more calls will be placed.')) act('stop'); } }, 'Stop'));
      buttons.push(h('button', { type: 'button', class: 'secondary', id: 'campaign-export', onclick: async () => {
        try { download(await blob(`/api/campaigns/${id}/export.csv`), c.name.replace(/[^A-Za-z0-9_-]+/g, '_') + '.csv'); }
        catch (e) { head.append(errorBox(e)); }
      } }, 'Export results (CSV)'));
    }
    clear(head).append(h('h1', {}, c.name, ' ', h('span', { id: 'campaign-state' }, badge(c.state))),
      h('p', { class: 'muted' }, `Dialog ${c.dialog} · calling ${c.window.start}–${c.window.end} on `
        + c.window.days.join(', ') + ` · up to ${c.max_concurrent_calls} calls at once · ${c.retry.max_attempts} ${c.retry.max_attempts === 1 ? 'attempt' : 'attempts'} per contact`
        + (c.started_at ? ' · started ' + when(c.started_at) : '') + (c.finished_at ? ' · finished ' + when(c.finished_at) : '')),
      h('div', { class: 'actions' }, buttons));
    const p = c.progress;
    const s = settled(p);
    clear(progress).append(h('h2', {}, 'Progress'),
      h('p', { id: 'campaign-progress-text' }, `${s.finished} of ${s.total} contacts finished · ${p.attempts} calls placed`),
      bar(s.total ? s.finished / s.total : 0),
      listNotes(p.lists || []),
      h('div', { class: 'two' },
        h('div', {}, h('h2', {}, 'Contacts'), hbars(Object.entries(p.contacts), 'Contacts by state')),
        h('div', {}, h('h2', {}, 'Blocked by compliance rules'), Object.keys(p.blocked_by).length
          ? hbars(Object.entries(p.blocked_by), 'Blocks by rule') : h('p', { class: 'muted' }, 'Nothing blocked.'))));
    clear(charts);
    if (res) {
      const f = res.funnel;
      charts.append(h('div', { class: 'two' },
        h('div', { class: 'card', id: 'campaign-funnel' }, h('h2', {}, 'Funnel'), hbars([
          ['contacts called', f.contacts_called], ['reached', f.reached], ['identity confirmed', f.identity_confirmed],
          ['completed', f.completed], ['positive (' + f.positive_answers + ')', f.positive]], 'Campaign funnel')),
        h('div', { class: 'card', id: 'campaign-outcomes' }, h('h2', {}, 'Outcomes of calls'),
          Object.keys(res.calls.outcomes).length ? hbars(Object.entries(res.calls.outcomes), 'Outcomes')
            : h('p', { class: 'muted' }, 'No calls have ended yet.'))));
      charts.append(h('div', { class: 'card', id: 'campaign-answers' }, h('h2', {}, 'Answers per question'),
        res.questions.length ? res.questions.map(q => h('div', {}, h('h3', {}, words(q.key) + ' (' + q.answers + ' answers)'),
          hbars(Object.entries(q.values), 'Answers to ' + q.key))) : h('p', { class: 'muted' }, 'No answers yet.'),
        res.drop_off.length ? [h('h3', {}, 'Where callers left without completing'), table([
          { title: 'Step', get: d => words(d.step) }, { title: 'Calls', get: d => d.calls }], res.drop_off)] : null));
    }
    if (qa) {
      charts.append(h('div', { class: 'card' }, h('h2', {}, 'Quality checks'),
        h('p', {}, `${qa.checked} calls checked, ${qa.flagged} with a flag.`),
        Object.keys(qa.per_rule).length ? hbars(Object.entries(qa.per_rule), 'Flags per rule') : null));
    }
    if (c.state === 'running' || c.state === 'paused') {
      clearTimeout(timer);
      timer = setTimeout(() => refresh().catch(() => {}), EVERY_MS);
    }
  }
  await refresh();
  return () => { stopped = true; clearTimeout(timer); };
}

export async function render(root, ctx, args) {
  if (args[0]) return detail(root, ctx, args[0]);
  root.append(h('h1', {}, 'Campaigns'));
  const list = h('div', { class: 'card', id: 'campaigns' });
  async function load() {
    const b = await api('GET', '/api/campaigns');
    clear(list).append(h('h2', {}, 'All campaigns'), table([
      { title: 'Name', get: c => c.name },
      { title: 'State', get: c => badge(c.state) },
      { title: 'Dialog', get: c => c.dialog },
      { title: 'Started', get: c => when(c.started_at) },
      { title: 'Finished', get: c => when(c.finished_at) },
      { title: 'Created', get: c => when(c.created_at) },
    ], b.campaigns, c => ctx.go('#/campaigns/' + c.id), 'No campaigns yet.'));
  }
  if (ctx.can('operator')) {
    const [d, l] = await Promise.all([api('GET', '/api/dialogs'), api('GET', '/api/lists')]);
    root.append(createForm(d.dialogs, l.lists.filter(x => x.imported > 0), c => ctx.go('#/campaigns/' + c.id)));
  }
  root.append(list);
  await load();
}
