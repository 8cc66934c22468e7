// API tokens (admins): who may use the API and console, with which role; a new token is shown once.
import { api } from '../api.js';
import { h, clear, table, when, errorBox, toast } from '../ui.js';

export async function render(root) {
  root.append(h('h1', {}, 'Access tokens'));
  const out = h('div', { id: 'token-created' });
  const form = h('form', { class: 'card', id: 'token-create' }, h('h2', {}, 'New token'),
    h('div', { class: 'row' },
      h('label', {}, 'For (a person or system)', h('input', { name: 'name', required: true, maxlength: 100 })),
      h('label', {}, 'Role', h('select', { name: 'role' }, h('option', { value: 'agent' }, 'agent — reads calls, works tasks'),
        h('option', { value: 'operator' }, 'operator — runs campaigns, uploads'), h('option', { value: 'admin' }, 'admin — everything, tokens and audit'))),
      h('button', { type: 'submit' }, 'Create')), out);
  const list = h('div', { class: 'card', id: 'tokens' });
  root.append(form, list);
  async function load() {
    const b = await api('GET', '/api/tokens');
    clear(list).append(h('h2', {}, 'Tokens'), table([
      { title: 'For', get: t => t.name },
      { title: 'Role', get: t => t.role },
      { title: 'Created', get: t => when(t.createdAt) },
      { title: 'State', get: t => t.revokedAt ? 'revoked ' + when(t.revokedAt) : 'active' },
      { title: '', get: t => t.revokedAt ? null : h('button', { type: 'button', class: 'danger', onclick: async () => {
        if (!confirm('Revoke the token of ' + t.name + '? It stops working at once.')) return;
        try { await api('DELETE', '/api/tokens/' + t.id); toast('Revoked.'); load(); } catch (e) { list.prepend(errorBox(e)); }
      } }, 'Revoke') },
    ], b.tokens, null, 'No tokens.'));
  }
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clear(out);
    try {
      const t = await api('POST', '/api/tokens', { name: form.elements.name.value.trim(), role: form.elements.role.value });
      out.append(h('p', { class: 'ok' }, 'Token created. Copy it now: it is not shown again.'),
        h('pre', { id: 'new-token' }, t.token));
      form.reset();
      await load();
    } catch (err) { out.append(errorBox(err)); }
  });
  await load();
}
