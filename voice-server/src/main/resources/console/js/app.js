// The console shell: sign-in, navigation by URL hash (#/page/arg), role-aware menus, one page shown at a time.
import { api, token, setToken, whenSignedOut, ApiError } from './api.js';
import { clear, h, errorBox } from './ui.js';

const pages = {
  dashboard: () => import('./pages/dashboard.js'),
  campaigns: () => import('./pages/campaigns.js'),
  lists: () => import('./pages/lists.js'),
  dialogs: () => import('./pages/dialogs.js'),
  calls: () => import('./pages/calls.js'),
  tasks: () => import('./pages/tasks.js'),
  dnc: () => import('./pages/dnc.js'),
  qa: () => import('./pages/qa.js'),
  tokens: () => import('./pages/tokens.js'),
  audit: () => import('./pages/audit.js'),
};
const RANK = { agent: 1, operator: 2, admin: 3 };
const $ = id => document.getElementById(id);
let me = null;
let cleanup = null;

/** What pages get: who is signed in and what they may do. */
function context() {
  return {
    name: me.name,
    role: me.role,
    can: role => RANK[me.role] >= RANK[role],
    go: hash => { location.hash = hash; },
  };
}

function showSignIn(message) {
  me = null;
  stopPage();
  $('nav').hidden = true;
  $('menu').hidden = true;
  $('signout').hidden = true;
  $('who').textContent = '';
  clear($('page'));
  $('signin').hidden = false;
  $('signin-error').textContent = message || '';
  $('token').focus();
}

async function signIn(t) {
  setToken(t);
  try {
    me = await api('GET', '/api/whoami');
  } catch (e) {
    setToken(null);
    showSignIn(e.status === 401 ? 'That token is not valid (or was revoked).' : e.message);
    return;
  }
  $('signin').hidden = true;
  $('nav').hidden = false;
  $('menu').hidden = false;
  $('signout').hidden = false;
  $('who').textContent = 'Signed in as ' + me.name + ' (' + me.role + ')';
  for (const a of document.querySelectorAll('#nav a')) {
    a.hidden = a.dataset.role ? RANK[me.role] < RANK[a.dataset.role] : false;
  }
  route();
}

function stopPage() {
  if (cleanup) { try { cleanup(); } catch (e) { /* page already gone */ } }
  cleanup = null;
}

async function route() {
  if (!me) return;
  const parts = (location.hash.replace(/^#\/?/, '') || 'dashboard').split('/');
  const name = pages[parts[0]] ? parts[0] : 'dashboard';
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.page === name);
  $('nav').classList.remove('open');
  stopPage();
  const root = clear($('page'));
  root.dataset.page = name;
  try {
    const mod = await pages[name]();
    const ctx = context();
    const link = document.querySelector(`#nav a[data-page="${name}"]`);
    if (link && link.hidden) {
      root.append(h('h1', {}, 'Not available'), h('p', {}, 'This page is for administrators.'));
      return;
    }
    cleanup = await mod.render(root, ctx, parts.slice(1).map(decodeURIComponent)) || null;
  } catch (e) {
    // API refusals are in plain words already; anything else is a fault of the console itself.
    if (!(e instanceof ApiError)) console.error(e);
    root.append(errorBox(e instanceof ApiError ? e
      : new Error('This page could not be shown. Reload the page to try again.')));
  }
}

$('signin').addEventListener('submit', e => {
  e.preventDefault();
  signIn($('token').value.trim());
  $('token').value = '';
});
$('signout').addEventListener('click', () => { setToken(null); showSignIn('You signed out.'); });
$('menu').addEventListener('click', () => $('nav').classList.toggle('open'));
window.addEventListener('hashchange', route);
whenSignedOut(() => { setToken(null); showSignIn('Your sign-in is no longer valid. Please sign in again.'); });

if (token()) signIn(token()); else showSignIn();
