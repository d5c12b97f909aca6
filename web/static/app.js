// Starling's one script. Every page works without it: forms post and links
// load pages. When it runs it saves reloads: a live character counter,
// posting and favouriting in place, a banner for new posts and a "load
// more" button. It talks to the same pages a browser without it would, so
// there is one set of rules, on the server.
(() => {
  'use strict';

  const parser = new DOMParser();
  const live = liveRegion();

  // ---- Counting characters as the server does ------------------------------
  // Links count as 23 characters whatever their length, a mention of
  // someone on another server counts only its @username part, and the rest
  // counts user-perceived characters (so an emoji with modifiers is one).
  const URL_LENGTH = 23;
  const segmenter = 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;
  const urlPattern = /(^|[^\p{L}\p{N}_@#$/])(https?:\/\/[^\s<>"]+)/giu;
  const mentionPattern = /(^|[^\p{L}\p{N}_/])@([\p{L}\p{N}_]+(?:[\p{L}\p{N}_.-]*[\p{L}\p{N}_])?)@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

  function graphemes(s) {
    if (!segmenter) return Array.from(s).length;
    let n = 0;
    for (const _ of segmenter.segment(s)) n++;
    return n;
  }

  // trimURL drops punctuation that ends a sentence rather than the link
  // (ASCII marks such as ".,;:!" and any Unicode punctuation, like "…"),
  // keeping a closing bracket that closes one opened inside the link.
  function trimURL(u) {
    for (;;) {
      const last = Array.from(u).pop();
      if (last === ')') {
        if (count(u, '(') < count(u, ')')) { u = u.slice(0, -1); continue; }
        return u;
      }
      if ('!*"\';:=,.$%[]~&|@'.includes(last) || /\p{P}/u.test(last)) { u = u.slice(0, -last.length); continue; }
      return u;
    }
  }
  const count = (s, c) => s.split(c).length - 1;

  function postLength(text) {
    const rewritten = text
      .replace(urlPattern, (m, before, u) => {
        const kept = trimURL(u);
        return before + 'x'.repeat(URL_LENGTH) + u.slice(kept.length);
      })
      .replace(mentionPattern, (m, before, user) => before + '@' + user);
    return graphemes(rewritten);
  }
  window.starlingPostLength = postLength; // for the browser tests

  function setUpCounter(area) {
    const out = document.getElementById(area.dataset.counter);
    const max = Number(area.dataset.max);
    if (!out || !max) return;
    let timer;
    const update = () => {
      const left = max - postLength(area.value);
      out.textContent = left >= 0
        ? `${left} ${left === 1 ? 'character' : 'characters'} left`
        : `${-left} ${left === -1 ? 'character' : 'characters'} too many`;
      out.classList.toggle('over', left < 0);
      // Tell screen readers once typing pauses, not at every key.
      clearTimeout(timer);
      timer = setTimeout(() => { live.textContent = out.textContent; }, 1000);
    };
    area.addEventListener('input', update);
    // A reply starts with the handles it answers: type after them, not before.
    area.addEventListener('focus', () => {
      if (area.value && area.selectionStart === 0 && area.selectionEnd === 0) {
        area.setSelectionRange(area.value.length, area.value.length);
      }
    }, { once: true });
    update();
    live.textContent = '';
  }

  // ---- Forms that act in place ----------------------------------------------

  // post submits a form the way the browser would and returns the page the
  // server answers with (after its redirect), or null on a network error.
  async function post(form, submitter) {
    const body = new URLSearchParams(new FormData(form, submitter));
    try {
      const res = await fetch(form.action, { method: 'POST', body, credentials: 'same-origin', redirect: 'follow' });
      const doc = parser.parseFromString(await res.text(), 'text/html');
      return { res, doc };
    } catch {
      return null;
    }
  }

  // A favourite, repost or bookmark button: swap the post for the server's
  // new copy of it, and keep the focus on the same button.
  function setUpToggle(form) {
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const id = form.dataset.swap;
      const action = form.getAttribute('action');
      const base = action.slice(0, action.lastIndexOf('/') + 1);
      const got = await post(form, ev.submitter);
      const fresh = got && got.res.ok && got.doc.getElementById(id);
      const old = document.getElementById(id);
      if (!fresh || !old) { form.submit(); return; }
      const imported = document.importNode(fresh, true);
      old.replaceWith(imported);
      enhance(imported);
      const again = Array.from(imported.querySelectorAll('form[data-swap]'))
        .find((f) => f.getAttribute('action').startsWith(base) && toggleName(f) === toggleName(form));
      const button = again && again.querySelector('button');
      if (button) {
        button.focus();
        live.textContent = button.getAttribute('aria-pressed') === 'true' ? 'Done.' : 'Undone.';
      }
    });
  }
  // toggleName is "favourite" for both the favourite and unfavourite forms.
  const toggleName = (f) => f.getAttribute('action').split('/').pop().replace(/^un/, '');

  // The compose box on a timeline: post, then show the new timeline in
  // place, empty the box and get a fresh idempotency key.
  // Where the community asks for image descriptions, the first press of
  // Post with an undescribed image says so at that image and waits; a
  // second press posts as it is.
  function nudgeAltText(form, ev) {
    if (!form.hasAttribute('data-alt-nudge') || form.dataset.nudged) return false;
    const bare = [...form.querySelectorAll('input[type=file]')].find((i) => i.files.length &&
      !form.querySelector('#' + i.id + '-description').value.trim());
    if (!bare) return false;
    ev.preventDefault();
    form.dataset.nudged = '1';
    const area = form.querySelector('#' + bare.id + '-description');
    const note = document.createElement('p');
    note.className = 'field-error';
    note.id = bare.id + '-nudge';
    note.textContent = 'This image has no description, so people who cannot see it will miss it. Add one, or press Post again to post without.';
    area.before(note);
    area.setAttribute('aria-describedby', note.id);
    area.focus();
    return true;
  }

  function setUpCompose(form) {
    form.addEventListener('submit', async (ev) => {
      if (nudgeAltText(form, ev)) return;
      const feed = document.getElementById('feed');
      if (!feed || form.querySelector('[name=in_reply_to_id]')) return; // replies go to their thread
      if ([...form.querySelectorAll('input[type=file]')].some((i) => i.files.length)) return; // images go the plain way
      ev.preventDefault();
      const button = form.querySelector('button[type=submit]');
      button.disabled = true;
      const got = await post(form, ev.submitter);
      button.disabled = false;
      if (!got) { form.submit(); return; }
      const { res, doc } = got;
      const there = new URL(res.url);
      if (!res.ok) {
        // The server kept the draft and says what is wrong: show its page.
        const main = doc.querySelector('main');
        if (!main) { form.submit(); return; }
        document.querySelector('main').replaceWith(document.importNode(main, true));
        document.title = doc.title;
        enhance(document.querySelector('main'));
        const summary = document.querySelector('.error-summary');
        if (summary) { summary.setAttribute('tabindex', '-1'); summary.focus(); }
        return;
      }
      if (there.pathname !== location.pathname) { location.assign(res.url); return; }
      const fresh = doc.getElementById('feed');
      const key = doc.querySelector('form[data-compose] [name=idempotency_key]');
      if (!fresh || !key) { location.assign(res.url); return; }
      const imported = document.importNode(fresh, true);
      feed.replaceWith(imported);
      enhance(imported);
      form.reset();
      form.querySelector('[name=idempotency_key]').value = key.value;
      const area = form.querySelector('textarea');
      area.value = '';
      area.dispatchEvent(new Event('input'));
      live.textContent = 'Your post is published.';
      area.focus();
    });
  }

  // ---- Personal data, as the member types -----------------------------------
  // The server refuses posts that seem to hold personal data (an NHS
  // number, a phone number, a postcode…) whatever happens here. To say so
  // before Post is pressed, the draft's texts go to /compose/check once
  // typing pauses; the answer names the kinds of value found and where,
  // never the values, and a polite live region under the box says it.
  function setUpSafeguard(form) {
    const out = form.querySelector('[data-safeguard]');
    const token = form.querySelector('[name=csrf_token]');
    if (!out || !token) return;
    const inputs = () => [...form.querySelectorAll('textarea[name], input[type=text][name]')];
    let timer;
    let asked = 0;
    const show = (message, fields) => {
      if (out.textContent !== message) out.textContent = message;
      for (const el of inputs()) el.toggleAttribute('data-personal-data', fields.has(el.name));
    };
    const check = async () => {
      const body = new URLSearchParams({ csrf_token: token.value });
      for (const el of inputs()) if (el.value.trim()) body.append(el.name, el.value);
      const mine = ++asked;
      try {
        const res = await fetch(form.dataset.check, { method: 'POST', body, credentials: 'same-origin' });
        if (!res.ok) return;
        const got = await res.json();
        if (mine !== asked) return; // the draft has changed since
        show(got.message || '', new Set((got.findings || []).map((f) => f.field)));
      } catch { /* offline for now: posting checks anyway */ }
    };
    form.addEventListener('input', (ev) => {
      if (!ev.target.matches('textarea[name], input[type=text][name]')) return;
      clearTimeout(timer);
      timer = setTimeout(check, 400);
    });
    form.addEventListener('reset', () => { clearTimeout(timer); asked++; show('', new Set()); });
  }

  // ---- New posts and older posts ---------------------------------------------

  // A timeline learns of new posts from the server as they arrive (server-
  // sent events from /live, which carry only IDs), or by asking every two
  // minutes where that is not possible. It says so in a banner, a live
  // region, rather than moving what is being read; the posts themselves
  // are fetched as HTML, as the page would be.
  function setUpPolling(feed) {
    const banner = feed.querySelector('#new-posts');
    if (!banner) return;
    const noun = feed.dataset.noun || 'post';
    const items = (root) => Array.from(root.querySelectorAll('#feed > article, #feed > li.notification'));
    let waiting = [];
    let running = false;
    let again = false;
    const newest = () => {
      const first = items(document)[0];
      return first ? first.id.replace(/^[a-z]+-/, '') : '';
    };
    const show = () => {
      const anchor = banner.nextSibling;
      let first;
      for (const a of waiting) {
        if (document.getElementById(a.id)) continue;
        const n = document.importNode(a, true);
        feed.insertBefore(n, anchor);
        enhance(n);
        first = first || n;
      }
      feed.querySelectorAll(':scope > .empty').forEach((e) => e.remove());
      waiting = [];
      banner.replaceChildren();
      if (first) {
        first.setAttribute('tabindex', '-1');
        first.focus();
      }
    };
    const check = async () => {
      if (running) { again = true; return; } // one request at a time; one more after it
      running = true;
      try {
        const url = new URL(feed.dataset.poll, location.href);
        const since = newest();
        if (since) url.searchParams.set('min_id', since);
        const res = await fetch(url, { credentials: 'same-origin' });
        if (!res.ok) return;
        const doc = parser.parseFromString(await res.text(), 'text/html');
        const found = items(doc).filter((a) => !document.getElementById(a.id));
        if (!found.length) return;
        waiting = found;
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'button-secondary';
        button.textContent = found.length === 1 ? `Show 1 new ${noun}` : `Show ${found.length} new ${noun}s`;
        button.addEventListener('click', show);
        banner.replaceChildren(button);
      } catch { /* offline for now: the next event or poll tries again */
      } finally {
        running = false;
        if (again) { again = false; setTimeout(check, 300); }
      }
    };
    let live = null;
    if (feed.dataset.live && 'EventSource' in window) {
      live = new EventSource('/live?stream=' + encodeURIComponent(feed.dataset.live));
      live.addEventListener('update', check);
      live.addEventListener('notification', check);
      let opened = false;
      // After a reconnect (a server restart, a dropped connection), catch up.
      live.addEventListener('open', () => { if (opened) check(); opened = true; });
      feed.starlingLive = live; // for the browser tests
    }
    const timer = setInterval(() => {
      if (!feed.isConnected) { clearInterval(timer); if (live) live.close(); return; } // replaced by a newer copy
      if (!document.hidden) check();
    }, live ? 120000 : 30000);
    feed.starlingCheck = check; // for the browser tests, which cannot wait
  }

  // "Older" becomes "Load more": the next page's posts are added below.
  function setUpLoadMore(link) {
    link.textContent = 'Load more';
    link.setAttribute('role', 'button');
    link.addEventListener('click', async (ev) => {
      const feed = document.getElementById('feed');
      if (!feed) return;
      ev.preventDefault();
      let doc;
      try {
        const res = await fetch(link.href, { credentials: 'same-origin' });
        if (!res.ok) throw new Error(res.statusText);
        doc = parser.parseFromString(await res.text(), 'text/html');
      } catch {
        location.assign(link.href);
        return;
      }
      const more = doc.getElementById('feed');
      let first;
      for (const item of more ? Array.from(more.children) : []) {
        if (item.id === 'new-posts' || item.classList.contains('empty') || (item.id && document.getElementById(item.id))) continue;
        const n = document.importNode(item, true);
        feed.appendChild(n);
        enhance(n);
        first = first || n;
      }
      const pager = link.closest('.pager');
      const next = doc.querySelector('.pager [rel=next]');
      if (next) {
        link.href = next.getAttribute('href');
      } else if (pager) {
        pager.remove();
      }
      if (first) {
        first.setAttribute('tabindex', '-1');
        first.focus();
      } else {
        live.textContent = 'There are no more posts.';
      }
    });
  }

  // ---- Wiring ------------------------------------------------------------------

  function liveRegion() {
    const el = document.createElement('div');
    el.className = 'visually-hidden';
    el.setAttribute('role', 'status');
    el.setAttribute('aria-live', 'polite');
    document.body.appendChild(el);
    return el;
  }

  function enhance(root) {
    if (root.matches && root.matches('[data-poll]')) setUpPolling(root);
    root.querySelectorAll('textarea[data-counter]').forEach(setUpCounter);
    root.querySelectorAll('form[data-swap]').forEach(setUpToggle);
    root.querySelectorAll('form[data-compose]').forEach(setUpCompose);
    root.querySelectorAll('form[data-check]').forEach(setUpSafeguard);
    root.querySelectorAll('[data-poll]').forEach(setUpPolling);
    root.querySelectorAll('a[data-more]').forEach(setUpLoadMore);
  }

  enhance(document);
})();
