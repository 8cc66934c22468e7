// Calls to the voicebot API with the token the user signed in with (kept in sessionStorage only).
const KEY = 'voicebot.token';

export function token() { return sessionStorage.getItem(KEY); }
export function setToken(t) { if (t) sessionStorage.setItem(KEY, t); else sessionStorage.removeItem(KEY); }

/** An API refusal in plain words; problems lists each bad field or line when the server named them. */
export class ApiError extends Error {
  constructor(status, message, problems, details) {
    super(message);
    this.status = status;
    this.problems = problems || [];
    this.details = details || {};
  }
}

let onSignedOut = () => {};
export function whenSignedOut(f) { onSignedOut = f; }

function plain(status, body) {
  if (status === 401) return 'Your sign-in is no longer valid. Please sign in again.';
  if (status === 403) return 'Your token is not allowed to do this.';
  if (status === 503) return (body && body.error) || 'The server is busy or the database is unavailable; try again shortly.';
  if (status >= 500) return 'The server could not do this (internal error). Try again; if it persists, ask an administrator to check the log.';
  return (body && body.error) || ('The server answered ' + status + '.');
}

async function failure(res) {
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (res.status === 401) onSignedOut();
  return new ApiError(res.status, plain(res.status, body), body && body.problems, body || {});
}

/** JSON in, JSON out; a body that is a string is sent as is with contentType. */
export async function api(method, path, body, contentType) {
  const headers = { 'Authorization': 'Bearer ' + token() };
  let data;
  if (body !== undefined && body !== null) {
    if (typeof body === 'string' || body instanceof Blob) {
      data = body;
      if (contentType) headers['Content-Type'] = contentType;
    } else {
      data = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body: data });
  } catch (e) {
    throw new ApiError(0, 'Cannot reach the voicebot server. Check that it is running.');
  }
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  return type.includes('json') ? res.json() : res.text();
}

/** A file download (CSV export, recording) as a Blob, with the token. */
export async function blob(path) {
  let res;
  try {
    res = await fetch(path, { headers: { 'Authorization': 'Bearer ' + token() } });
  } catch (e) {
    throw new ApiError(0, 'Cannot reach the voicebot server. Check that it is running.');
  }
  if (!res.ok) throw await failure(res);
  return res.blob();
}

/** An upload with progress (0..1) reported as the body goes out; resolves with the JSON answer. */
export function upload(method, path, file, contentType, onProgress) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open(method, path);
    x.setRequestHeader('Authorization', 'Bearer ' + token());
    if (contentType) x.setRequestHeader('Content-Type', contentType);
    x.upload.onprogress = e => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    x.onerror = () => reject(new ApiError(0, 'The upload was interrupted: cannot reach the voicebot server.'));
    x.onload = () => {
      let body = null;
      try { body = JSON.parse(x.responseText); } catch (e) { body = null; }
      if (x.status >= 200 && x.status < 300) { onProgress(1); resolve(body); return; }
      if (x.status === 401) onSignedOut();
      reject(new ApiError(x.status, plain(x.status, body), body && body.problems, body || {}));
    };
    x.send(file);
  });
}

/** /health needs no token. */
export async function health() {
  try {
    const res = await fetch('/health', { cache: 'no-store' });
    return await res.json();
  } catch (e) {
    return { status: 'unreachable', database: 'unknown', listeners: {} };
  }
}
