// Live figures: polls /health and /api/console/summary every few seconds while the page is open.
import { api, health } from '../api.js';
import { h, clear, badge, columns, hbars, words, errorBox, bar } from '../ui.js';

const EVERY_MS = 3000;

function stat(label, value, id) {
  return h('div', { class: 'stat' }, h('div', { class: 'label' }, label), h('div', { class: 'value', id }, value));
}

function state(v) {
  return v === 'up' || v === 'ok' ? 'up' : v === 'draining' ? 'draining' : 'down';
}

export async function render(root) {
  root.append(h('h1', {}, 'Dashboard'));
  const live = h('div', { id: 'dashboard-live' });
  root.append(live, h('p', { class: 'muted' }, 'Updates every few seconds.'));
  let stopped = false;
  let timer = null;

  async function refresh() {
    const [hl, sum, camps] = await Promise.all([
      health(),
      api('GET', '/api/console/summary').catch(e => e),
      api('GET', '/api/campaigns').catch(() => ({ campaigns: [] })),
    ]);
    if (stopped) return;
    clear(live);
    const ami = hl.listeners && hl.listeners.ami;
    live.append(h('div', { class: 'grid' },
      stat('Server', badge(hl.status === 'ok' ? 'up' : hl.status), 'stat-server'),
      stat('Database', badge(state(hl.database)), 'stat-database'),
      stat('Asterisk (AMI)', ami ? badge(state(ami)) : h('span', { class: 'muted' }, 'not used'), 'stat-ami')));
    if (hl.reasons) {
      live.append(h('div', { class: 'card error' }, Object.entries(hl.reasons).map(([k, v]) =>
        h('p', {}, words(k) + ': ' + v))));
    }
    if (sum instanceof Error) {
      live.append(errorBox(sum));
    } else {
      live.append(h('div', { class: 'grid' },
        stat('Calls in progress', sum.calls_in_progress, 'stat-in-progress'),
        stat('Calls in the last minute', sum.calls_last_minute, 'stat-per-minute'),
        stat('Calls today', sum.calls_today, 'stat-today'),
        stat('Recognition time (last hour)', sum.turn_latency.turns
          ? sum.turn_latency.average_ms + ' ms avg · ' + sum.turn_latency.p95_ms + ' ms p95' : 'no turns yet',
          'stat-latency')));
      const outcomes = Object.entries(sum.outcomes_today);
      live.append(h('div', { class: 'two' },
        h('div', { class: 'card' }, h('h2', {}, 'Calls per minute (last 30 minutes)'),
          columns(sum.calls_per_minute, 5, 'Calls started per minute')),
        h('div', { class: 'card' }, h('h2', {}, 'Outcomes today'),
          outcomes.length ? hbars(outcomes, 'Outcomes of calls today') : h('p', { class: 'muted' }, 'No calls today yet.'))));
    }
    // The list has no progress; the few running campaigns are read one by one.
    const running = await Promise.all((camps.campaigns || []).filter(c => c.state === 'running' || c.state === 'paused')
      .map(c => api('GET', '/api/campaigns/' + c.id).catch(() => c)));
    if (stopped) return;
    live.append(h('div', { class: 'card' }, h('h2', {}, 'Campaigns running'),
      running.length ? running.map(c => {
        const p = c.progress || { contacts: {} };
        const total = Object.values(p.contacts).reduce((a, b) => a + b, 0);
        const settled = (p.contacts.done || 0) + (p.contacts.exhausted || 0);
        return h('div', {}, h('p', {}, h('a', { href: '#/campaigns/' + c.id }, c.name), ' ', badge(c.state), ' ',
          settled + ' of ' + total + ' contacts finished'), bar(total ? settled / total : 0));
      }) : h('p', { class: 'muted' }, 'No campaign is running.')));
  }

  async function loop() {
    try { await refresh(); } catch (e) { /* shown on the next round */ }
    if (!stopped) timer = setTimeout(loop, EVERY_MS);
  }
  await loop();
  return () => { stopped = true; clearTimeout(timer); };
}
