// Protocol v1 (docs/protocol.md) in the browser: the same behaviour as the C# ResilientSession.
// It reconnects with full-jitter backoff, resumes with sessionId + lastSeq + epoch, drops every
// seq <= lastSeq, re-sends prompts whose run has not started after each welcome, acknowledges
// every 200 ms, pings every heartbeatMs and treats 2.5 silent intervals as a dead link, and
// refreshes its token in-band on token.expiring.
import { allowsReconnect, nextDelay } from './backoff.js';

const options = {
  baseDelayMs: 100,
  goingAwayDelayMs: 20,
  maxDelayMs: 5000,
  handshakeTimeoutMs: 10000,
  ackIntervalMs: 200,
  deadLinkHeartbeats: 2.5,
};

export class ChatSession extends EventTarget {
  #url;
  #tokens;
  #link = null;          // the WebSocket that speaks for the session, once welcomed
  #closed = false;
  #sessionId = null;
  #epoch = null;
  #lastSeq = 0;
  #acked = 0;
  #heartbeatMs = 5000;
  #lastFrameAt = 0;
  #timers = [];
  #pending = new Map();  // prompt id -> text, until its run starts (stream.start)
  duplicatesDropped = 0;

  constructor(url, tokens) {
    super();
    this.#url = url;
    this.#tokens = tokens;
  }

  get sessionId() { return this.#sessionId; }
  get lastSeq() { return this.#lastSeq; }

  start() {
    this.#run(null, 'start');
  }

  close() {
    this.#closed = true;
    this.#drop(1000, 'signed out');
  }

  prompt(id, text) {
    this.#pending.set(id, text);
    // Offline, it waits for the next welcome; online, it goes now (and again after a reconnect
    // if its run has not started: the id makes that idempotent).
    this.#send({ type: 'prompt', id, text });
  }

  // A new access token for the live connection (in-band: the socket stays up). `trigger` only
  // labels the note, e.g. 'button' or 'token.expiring'.
  async refreshToken(trigger) {
    await this.#tokens.refresh();
    if (this.#send({ type: 'refresh', token: await this.#tokens.accessToken(false) })) this.#note(`refresh sent (${trigger})`);
  }

  // One connection after another until the session ends: the first connect, then resumes.
  async #run(closeCode, reason) {
    const goingAway = closeCode === 1001;
    let forceRefresh = closeCode === 4001;
    let retryAfterMs = closeCode === 4029 ? Number(reason) || 0 : 0;
    const lostAt = performance.now();
    if (this.#sessionId) this.#state('resuming', { reason });
    for (let attempt = 1; !this.#closed; attempt++) {
      const delay = reason === 'start' && attempt === 1 ? 0
        : nextDelay(attempt, goingAway ? options.goingAwayDelayMs : options.baseDelayMs, options.maxDelayMs, Math.random, retryAfterMs);
      await new Promise(resolve => setTimeout(resolve, delay));
      if (this.#closed) return;
      try {
        const welcome = await this.#handshake(forceRefresh);
        this.#welcomed(welcome, Math.round(performance.now() - lostAt));
        return;
      } catch (failure) {
        const code = failure.closeCode;
        if (code !== undefined && !allowsReconnect(code)) {
          this.#end(code, failure.message);
          return;
        }
        forceRefresh = code === 4001;
        retryAfterMs = code === 4029 ? Number(failure.message) || 0 : 0;
      }
    }
  }

  #handshake(forceRefresh) {
    return new Promise((resolve, reject) => {
      let socket;
      const fail = (closeCode, message) => {
        clearTimeout(timeout);
        if (socket) { socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null; socket.close(); }
        reject(Object.assign(new Error(message), { closeCode }));
      };
      const timeout = setTimeout(() => fail(undefined, 'handshake timeout'), options.handshakeTimeoutMs);
      this.#tokens.accessToken(forceRefresh).then(token => {
        socket = new WebSocket(this.#url);
        socket.onopen = () => socket.send(JSON.stringify(this.#hello(token)));
        socket.onmessage = message => {
          const frame = JSON.parse(message.data);
          if (frame.type !== 'welcome') return fail(1002, 'no welcome');
          clearTimeout(timeout);
          this.#attach(socket);
          resolve(frame);
        };
        // A close before welcome: 1006 (refused, reset) or the server's verdict on the hello.
        socket.onclose = event => fail(event.code === 1005 ? 1006 : event.code, event.reason || 'closed before welcome');
      }, error => fail(undefined, error.message));
    });
  }

  #hello(token) {
    const hello = { type: 'hello', token };
    if (this.#sessionId) Object.assign(hello, { sessionId: this.#sessionId, lastSeq: this.#lastSeq, epoch: this.#epoch });
    return hello;
  }

  #attach(socket) {
    this.#link = socket;
    this.#lastFrameAt = performance.now();
    socket.onmessage = message => this.#receive(socket, JSON.parse(message.data));
    socket.onclose = event => this.#lost(socket, event.code === 1005 ? 1006 : event.code, event.reason || 'connection lost');
    socket.onerror = null;
  }

  #welcomed(welcome, downtimeMs) {
    if (!welcome.resumed) {
      // A fresh session (first connect, or the old one is gone: welcome.reason says why).
      this.#lastSeq = 0;
      this.#acked = 0;
    }
    const resumedOnce = this.#sessionId !== null;
    this.#sessionId = welcome.sessionId;
    this.#epoch = welcome.epoch;
    this.#heartbeatMs = welcome.heartbeatMs;
    if (welcome.resumed) this.#state('resumed', { replayCount: welcome.replayCount, downtimeMs });
    else this.#state('connected', { reason: welcome.reason, downtimeMs: resumedOnce ? downtimeMs : undefined });
    this.dispatchEvent(new CustomEvent('token', { detail: { expiresAt: welcome.tokenExpiresAt } }));
    for (const [id, text] of this.#pending) this.#send({ type: 'prompt', id, text });
    this.#startTimers();
  }

  #receive(socket, frame) {
    if (socket !== this.#link) return;
    this.#lastFrameAt = performance.now();
    switch (frame.type) {
      case 'event':
        if (frame.seq <= this.#lastSeq) { this.duplicatesDropped++; return; }
        if (frame.seq > this.#lastSeq + 1) {
          // A gap is a contract breach: drop this link and resume from what we have.
          this.#lost(socket, 1006, `gap: seq ${frame.seq} after ${this.#lastSeq}`);
          return;
        }
        this.#lastSeq = frame.seq;
        if (frame.kind === 'stream.start') this.#pending.delete(frame.runId);
        this.dispatchEvent(new CustomEvent('event', { detail: frame }));
        return;
      case 'token.expiring':
        this.refreshToken('token.expiring').catch(error => this.#note(`refresh failed: ${error.message}`));
        return;
      case 'refreshed':
        this.dispatchEvent(new CustomEvent('token', { detail: { expiresAt: frame.tokenExpiresAt, refreshed: true } }));
        return;
      case 'error':
        this.#note(`${frame.code}: ${frame.message}`);
        return;
      default:
        return; // pong: its arrival already counted as life
    }
  }

  #startTimers() {
    this.#stopTimers();
    this.#timers.push(setInterval(() => {
      if (this.#lastSeq > this.#acked && this.#send({ type: 'ack', seq: this.#lastSeq })) this.#acked = this.#lastSeq;
    }, options.ackIntervalMs));
    this.#timers.push(setInterval(() => {
      // Browsers cannot see WebSocket pings: silence of several intervals means a dead link,
      // even when TCP has not noticed (a black hole).
      if (performance.now() - this.#lastFrameAt > this.#heartbeatMs * options.deadLinkHeartbeats) {
        this.#lost(this.#link, 1006, 'heartbeat');
        return;
      }
      this.#send({ type: 'ping', t: Date.now() });
    }, this.#heartbeatMs));
  }

  #stopTimers() {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
  }

  #send(frame) {
    if (this.#link?.readyState !== WebSocket.OPEN) return false;
    this.#link.send(JSON.stringify(frame));
    return true;
  }

  // The link is gone (closed, reset, dead, or a gap): forget it at once and resume, or end.
  #lost(socket, code, reason) {
    if (socket !== this.#link) return;
    this.#drop(4999, reason);
    if (this.#closed) return;
    if (!allowsReconnect(code)) { this.#end(code, reason); return; }
    this.#run(code, reason);
  }

  #drop(code, reason) {
    this.#stopTimers();
    const socket = this.#link;
    this.#link = null;
    if (!socket) return;
    socket.onmessage = socket.onclose = socket.onerror = null;
    socket.close(code === 4999 ? 1000 : code, reason.slice(0, 120));
  }

  #end(code, reason) {
    this.#closed = true;
    this.#state('closed', { code, reason });
  }

  #note(text) {
    this.dispatchEvent(new CustomEvent('note', { detail: text }));
  }

  #state(status, detail) {
    this.dispatchEvent(new CustomEvent('state', { detail: { status, ...detail } }));
  }
}
