// Calls: search, and one call's detail: transcript turn by turn, answers, gate decision, AMD verdict, recording.
import { api, blob } from '../api.js';
import { h, clear, table, when, words, seconds, badge, errorBox } from '../ui.js';

/** The turns of a call as the robot said them and the caller answered. */
export function transcript(call) {
  const box = h('div', { class: 'card transcript' }, h('h2', {}, 'Transcript'));
  if (!call.turns || !call.turns.length) {
    box.append(h('p', { class: 'muted' }, 'The robot said nothing on this call.'));
    return box;
  }
  for (const t of call.turns) {
    const heard = t.inputMode === 'dtmf' ? 'pressed ' + t.transcript
      : t.transcript ? '“' + t.transcript + '”' : '(said nothing)';
    const meta = [t.intent ? 'understood as ' + words(t.intent) : null,
      t.confidence != null ? 'confidence ' + Math.round(t.confidence * 100) + '%' : null,
      t.latencyMs != null ? 'recognized in ' + t.latencyMs + ' ms' : null].filter(Boolean).join(' · ');
    box.append(h('div', { class: 'turn' },
      h('div', { class: 'robot' }, h('strong', {}, 'Robot: '), t.prompt || '—'),
      h('div', { class: 'caller' }, h('strong', {}, 'Caller: '), heard),
      meta ? h('div', { class: 'meta' }, meta) : null));
  }
  if (call.answers && call.answers.length) {
    box.append(h('h2', {}, 'Answers'), table([
      { title: 'Question', get: a => words(a.key) },
      { title: 'Answer', get: a => a.value },
      { title: 'Confirmed', get: a => a.confirmed ? 'yes' : 'no' },
    ], call.answers));
  }
  return box;
}

function number(c) {
  return c.direction === 'inbound' ? (c.callerNumber || 'unknown caller') : (c.calledNumber || '—');
}

async function detail(root, ctx, id) {
  const c = await api('GET', '/api/calls/' + encodeURIComponent(id));
  root.append(h('p', {}, h('a', { href: '#/calls' }, '← All calls')),
    h('h1', {}, (c.direction === 'inbound' ? 'Call from ' : 'Call to ') + number(c)),
    h('div', { class: 'card', id: 'call-summary' }, table([
      { title: 'Started', get: x => when(x.startedAt) },
      { title: 'Length', get: x => seconds(x.answeredAt || x.startedAt, x.endedAt) },
      { title: 'Dialog', get: x => x.dialog || '—' },
      { title: 'Outcome', get: x => badge(x.outcome || 'in_progress') },
      { title: 'Handed to', get: x => x.transfer ? 'agent queue ' + x.transfer.queue : '—' },
    ], [c])));
  const a = c.attempt;
  if (a) {
    const gate = a.gate || {};
    root.append(h('div', { class: 'card', id: 'call-attempt' }, h('h2', {}, 'Campaign call'),
      h('p', {}, 'Campaign ', h('a', { href: '#/campaigns/' + a.campaign.id }, a.campaign.name),
        ' · contact ', a.contact.name || a.contact.phone, ' · attempt ', a.attemptNo, ' (', words(a.kind), ')'),
      h('p', { id: 'call-gate' }, h('strong', {}, 'Compliance check: '),
        gate.allowed === false ? 'blocked' : 'allowed to dial',
        gate.rule && gate.rule !== 'allowed' ? ' (' + words(gate.rule) + ')' : '', gate.decisionReason ? ': ' + gate.decisionReason : '',
        gate.decidedAt ? ' at ' + when(gate.decidedAt) : ''),
      h('p', { id: 'call-amd' }, h('strong', {}, 'Answering machine check: '),
        a.amd ? words(a.amd.verdict) + (a.amd.detail ? ' — ' + a.amd.detail : '') : 'not used by this campaign')));
  }
  root.append(transcript(c));
  const rec = h('div', { class: 'card', id: 'call-recording' }, h('h2', {}, 'Recording'));
  root.append(rec);
  if (!c.recording) {
    rec.append(h('p', { class: 'muted' }, 'This call was not recorded.'));
  } else if (c.recording.state === 'writing') {
    rec.append(h('p', { class: 'muted' }, 'The call is still being recorded.'));
  } else {
    const load = h('button', { type: 'button', id: 'load-recording' }, 'Load recording');
    rec.append(h('p', { class: 'muted' }, 'Left ear: the caller; right ear: the robot.'
      + (c.recording.state === 'incomplete' ? ' Parts of this recording were lost and are silent.' : '')), load);
    load.addEventListener('click', async () => {
      load.disabled = true;
      try {
        const url = URL.createObjectURL(await blob(c.recording.url));
        load.replaceWith(h('audio', { controls: true, src: url, id: 'recording-player', preload: 'auto' }));
      } catch (e) { rec.append(errorBox(e)); load.disabled = false; }
    });
  }
}

export async function render(root, ctx, args) {
  if (args[0]) return detail(root, ctx, args[0]);
  root.append(h('h1', {}, 'Calls'));
  const campaigns = (await api('GET', '/api/campaigns')).campaigns;
  const form = h('form', { class: 'card', id: 'call-search' }, h('div', { class: 'row' },
    h('label', {}, 'Phone number', h('input', { name: 'phone', type: 'tel' })),
    h('label', {}, 'Campaign', h('select', { name: 'campaign' }, h('option', { value: '' }, '(any)'),
      campaigns.map(c => h('option', { value: c.id }, c.name)))),
    h('label', {}, 'Direction', h('select', { name: 'direction' }, h('option', { value: '' }, '(any)'),
      h('option', { value: 'outbound' }, 'we called'), h('option', { value: 'inbound' }, 'they called'))),
    h('label', {}, 'Outcome', h('input', { name: 'outcome', placeholder: 'e.g. completed' })),
    h('label', {}, 'From day', h('input', { name: 'from', type: 'date' })),
    h('label', {}, 'To day', h('input', { name: 'to', type: 'date' })),
    h('button', { type: 'submit' }, 'Search')));
  const results = h('div', { class: 'card', id: 'call-results' });
  root.append(form, results);
  let rows = [];
  async function search(cursor) {
    const q = new URLSearchParams({ limit: '50' });
    for (const k of ['phone', 'campaign', 'direction', 'from', 'to']) {
      if (form.elements[k].value.trim()) q.set(k, form.elements[k].value.trim());
    }
    const o = form.elements.outcome.value.trim().toLowerCase().replace(/ /g, '_');
    if (o) q.set('outcome', o);
    if (cursor) q.set('cursor', cursor);
    const b = await api('GET', '/api/calls?' + q);
    rows = cursor ? rows.concat(b.calls) : b.calls;
    clear(results).append(table([
      { title: 'Started', get: c => when(c.startedAt) },
      { title: 'Who', get: c => (c.direction === 'inbound' ? 'from ' : 'to ') + number(c) },
      { title: 'Dialog', get: c => c.dialog || '—' },
      { title: 'Outcome', get: c => badge(c.outcome || 'in_progress') },
      { title: 'Length', get: c => seconds(c.answeredAt || c.startedAt, c.endedAt) },
      { title: 'Recording', get: c => c.recording ? words(c.recording.state) : '—' },
    ], rows, c => ctx.go('#/calls/' + c.id), 'No calls match.'));
    if (b.nextCursor) results.append(h('button', { type: 'button', class: 'secondary', onclick: () => search(b.nextCursor).catch(e => results.append(errorBox(e))) }, 'Show more'));
  }
  form.addEventListener('submit', e => { e.preventDefault(); search(null).catch(err => clear(results).append(errorBox(err))); });
  await search(null);
}
