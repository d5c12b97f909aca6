// The live wall's script (/wall/TAG). Without it the page still shows the
// newest posts, as the server rendered them. With it the wall never needs a
// reload: it listens to /wall/TAG/events (server-sent events that carry only
// IDs), fetches new posts as HTML from /wall/TAG/posts?since_id=N, and the
// whole wall again when staff moderate it, so the server's rules decide what
// shows. It outlives a server restart: the browser reconnects by itself,
// this script reopens the stream with back-off if the browser gives up, and
// every (re)connection catches up.
(() => {
  'use strict';

  const wall = document.getElementById('wall');
  const list = document.getElementById('wall-posts');
  if (!wall || !list) return;
  const pinnedSection = document.getElementById('wall-pinned');
  const pinnedList = document.getElementById('wall-pinned-list');
  const empty = document.getElementById('wall-empty');
  const announcer = document.getElementById('wall-announce');
  const parser = new DOMParser();
  const MAX_POSTS = 30; // about what a projected screen shows; older ones fall off

  // ---- Showing posts -----------------------------------------------------------

  // Times come from the server in UTC; the hall reads its own clock.
  function localTimes(root) {
    root.querySelectorAll('time[datetime]').forEach((t) => {
      const d = new Date(t.getAttribute('datetime'));
      if (!isNaN(d)) t.textContent = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    });
  }

  // IDs are 64-bit: too big for a Number to compare exactly.
  function newest() {
    let max = 0n;
    wall.querySelectorAll('.wall-post[data-id]').forEach((p) => {
      const id = BigInt(p.dataset.id);
      if (id > max) max = id;
    });
    return max > 0n ? max.toString() : '';
  }

  function tidy() {
    pinnedSection.hidden = pinnedList.children.length === 0;
    while (list.children.length > 0 && list.children.length + pinnedList.children.length > MAX_POSTS) {
      list.lastElementChild.remove();
    }
    empty.hidden = list.children.length + pinnedList.children.length > 0;
  }

  // adopt takes the posts of a fetched list into this page, marking the
  // ones not shown before so they fade in, and counts those.
  function adopt(items, fresh) {
    return items.map((item) => {
      const n = document.importNode(item, true);
      if (!document.getElementById(n.id)) {
        n.classList.add('wall-new');
        fresh.push(n);
      }
      localTimes(n);
      return n;
    });
  }

  // insertNew puts posts newer than any shown at the top.
  function insertNew(doc) {
    const fresh = [];
    const items = Array.from(doc.querySelectorAll('#wall-posts > li')).filter((i) => !document.getElementById(i.id));
    list.prepend(...adopt(items, fresh));
    tidy();
    announce(fresh.length);
  }

  // replaceAll shows the wall as the server has it now: hidden posts go,
  // pins move to the top.
  function replaceAll(doc) {
    const fresh = [];
    const pins = adopt(Array.from(doc.querySelectorAll('#wall-pinned-list > li')), fresh);
    const posts = adopt(Array.from(doc.querySelectorAll('#wall-posts > li')), fresh);
    pinnedList.replaceChildren(...pins);
    list.replaceChildren(...posts);
    tidy();
    announce(fresh.length);
  }

  // ---- Telling screen readers, without chatter ---------------------------------

  // A busy hashtag can bring a post a second. The live region says how many
  // arrived, a few seconds after the first and then at most every 20 seconds.
  let unannounced = 0;
  let announceTimer = 0;
  let quietUntil = 0;
  function announce(n) {
    if (n === 0) return;
    unannounced += n;
    if (announceTimer) return;
    announceTimer = setTimeout(() => {
      announceTimer = 0;
      announcer.textContent = unannounced === 1 ? '1 new post on the wall' : `${unannounced} new posts on the wall`;
      unannounced = 0;
      quietUntil = Date.now() + 20000;
    }, Math.max(3000, quietUntil - Date.now()));
  }

  // ---- Fetching ------------------------------------------------------------------

  // One request at a time; what is asked for meanwhile runs after it, once
  // (a full refresh covers a catch-up).
  let running = false;
  let next = null; // null, 'since' or 'full'
  wall.starlingFetches = 0; // for the browser tests
  async function refresh(full) {
    if (running) {
      next = full || next === 'full' ? 'full' : 'since';
      return;
    }
    running = true;
    try {
      const url = new URL(wall.dataset.posts, location.href);
      const since = full ? '' : newest();
      if (since) url.searchParams.set('since_id', since);
      const res = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
      if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
      const doc = parser.parseFromString(await res.text(), 'text/html');
      if (since) insertNew(doc); else replaceAll(doc);
      wall.starlingFetches++;
    } catch {
      // The server is away (restarting?): the stream's reconnection brings us back.
    } finally {
      running = false;
      if (next) {
        const full = next === 'full';
        next = null;
        refresh(full);
      }
    }
  }

  function remove(id) {
    const el = document.getElementById('wall-' + id);
    if (el) el.remove();
    tidy();
  }

  // ---- Listening -----------------------------------------------------------------

  localTimes(document);
  if (!('EventSource' in window)) {
    setInterval(() => refresh(true), 30000);
    return;
  }
  let delay = 1000; // before reopening a stream the browser gave up on
  let opened = false;
  function connect() {
    const source = new EventSource(wall.dataset.events);
    wall.starlingEvents = source; // for the browser tests
    source.addEventListener('open', () => {
      delay = 1000;
      // Catch up with what arrived while the page loaded, or while the
      // stream was down; after an outage moderation may have changed too.
      refresh(opened);
      opened = true;
    });
    source.addEventListener('update', () => refresh(false));
    source.addEventListener('delete', (ev) => remove(ev.data));
    source.addEventListener('status.update', () => refresh(true));
    source.addEventListener('wall.changed', () => refresh(true));
    source.addEventListener('error', () => {
      // While the state is CONNECTING the browser is retrying by itself (the
      // server asks for every 2 seconds). CLOSED means it gave up, after an
      // error page from a proxy during a restart, say: try again, waiting
      // longer each time, with jitter so many walls do not return at once.
      if (source.readyState !== EventSource.CLOSED) return;
      source.close();
      setTimeout(connect, delay * (0.5 + Math.random() / 2));
      delay = Math.min(delay * 2, 60000);
    });
  }
  connect();
})();
