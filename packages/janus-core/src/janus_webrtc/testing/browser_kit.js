// The test kit of the janus.js page served by janus_webrtc.testing.browser.JanusJsSite.
//
// Loaded as an ES module after adapter.js (the global `adapter`); imports janus.js and sets the
// globals `Janus` and `kit`. Tests drive it from Python with BrowserPage.run():
//
//   const janus = await kit.connect(url);              // a janus.js session, iceServers: []
//   const peer = await kit.attach(janus, "janus.plugin.echotest");
//   await peer.send({audio: true});                     // the request's ack or sync answer
//   const {msg, jsep} = await peer.messages.next(m => m.msg.result === "ok");
//
// Everything janus.js reports through callbacks lands in queues (Queue below), so that a test
// waits for what Janus or the browser really sent, with a deadline, never for a fixed time.

import Janus from "/janus.js";

window.Janus = Janus;

const DEFAULT_TIMEOUT = 15000;

function describe(value) {
  if (value instanceof Error) return value.message;
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

// Items in arrival order; next(match) takes the first matching one, waiting for it if needed.
class Queue {
  constructor(name) {
    this.name = name;
    this.items = [];
    this.seen = [];
    this.waiters = [];
  }

  push(item) {
    this.seen.push(item);
    const index = this.waiters.findIndex((w) => w.match(item));
    if (index >= 0) {
      const [waiter] = this.waiters.splice(index, 1);
      clearTimeout(waiter.timer);
      waiter.resolve(item);
      return;
    }
    this.items.push(item);
  }

  // The first item for which match(item) is true, removed from the queue.
  next(match = () => true, timeoutMs = DEFAULT_TIMEOUT) {
    const index = this.items.findIndex(match);
    if (index >= 0) return Promise.resolve(this.items.splice(index, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve };
      waiter.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        const queued = describe(this.items).slice(0, 2000);
        reject(new Error(`${this.name}: nothing matching in ${timeoutMs} ms (queued: ${queued})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  // The next `count` matching items, in order.
  async take(count, match = () => true, timeoutMs = DEFAULT_TIMEOUT) {
    const taken = [];
    const deadline = Date.now() + timeoutMs;
    while (taken.length < count) {
      taken.push(await this.next(match, Math.max(1, deadline - Date.now())));
    }
    return taken;
  }
}

function promised(call) {
  return new Promise((resolve, reject) => {
    call(resolve, (error) => reject(error instanceof Error ? error : new Error(describe(error))));
  });
}

// One janus.js plugin handle and everything it reported.
class Peer {
  constructor(janus, plugin) {
    this.janus = janus;
    this.plugin = plugin;
    this.handle = null;
    this.messages = new Queue(`${plugin} messages`); // {msg, jsep} from onmessage
    this.data = new Queue(`${plugin} data`); // {label, text, json} from ondata
    this.events = new Queue(`${plugin} events`); // {type: "webrtc" | "ice" | ..., ...}
    this.videos = new Map(); // mid -> <video> playing that remote track
  }

  callbacks() {
    return {
      onmessage: (msg, jsep) => this.messages.push({ msg, jsep: jsep || null }),
      ondata: (text, label) => {
        let json = null;
        try {
          json = JSON.parse(text);
        } catch {}
        this.data.push({ label, text, json });
      },
      ondataopen: (label, protocol) => this.events.push({ type: "dataopen", label, protocol }),
      webrtcState: (up, reason) => this.events.push({ type: "webrtc", up, reason: reason || null }),
      iceState: (state) => this.events.push({ type: "ice", state }),
      connectionState: (state) => this.events.push({ type: "connection", state }),
      mediaState: (medium, receiving, mid) =>
        this.events.push({ type: "media", medium, receiving, mid: mid || null }),
      slowLink: (uplink, lost, mid) => this.events.push({ type: "slowlink", uplink, lost, mid }),
      onlocaltrack: (track, added) =>
        this.events.push({ type: "localtrack", kind: track.kind, added }),
      onremotetrack: (track, mid, added, metadata) => {
        this.events.push({
          type: "remotetrack",
          kind: track.kind,
          mid,
          added,
          reason: (metadata && metadata.reason) || null,
        });
        if (added && track.kind === "video") this.play(track, mid);
      },
      oncleanup: () => this.events.push({ type: "cleanup" }),
      ondetached: () => this.events.push({ type: "detached" }),
    };
  }

  // A page plays what it receives, as an application would (a <video> per remote video mid).
  play(track, mid) {
    let video = this.videos.get(mid);
    if (!video) {
      video = document.createElement("video");
      video.muted = true;
      video.autoplay = true;
      video.playsInline = true;
      document.body.appendChild(video);
      this.videos.set(mid, video);
    }
    video.srcObject = new MediaStream([track]);
    video.play().catch(() => {});
  }

  // A plugin request; resolves with its synchronous answer (or nothing for an ack).
  send(message, jsep = null) {
    return promised((success, error) =>
      this.handle.send({ message, jsep: jsep || undefined, success, error }),
    );
  }

  // Answer a JSEP offer; `tracks` as janus.js takes them. Resolves with the answer.
  answer(jsep, tracks = []) {
    return promised((success, error) =>
      this.handle.createAnswer({ jsep, tracks, success, error }),
    );
  }

  // Make an offer with `tracks`. Resolves with the offer.
  offer(tracks) {
    return promised((success, error) => this.handle.createOffer({ tracks, success, error }));
  }

  // Hand Janus's answer to the peer connection.
  accept(jsep) {
    return promised((success, error) => this.handle.handleRemoteJsep({ jsep, success, error }));
  }

  // Send text on the data channel (label: janus.js's default, JanusDataChannel).
  sendData(text, label = undefined) {
    return promised((success, error) => this.handle.data({ text, label, success, error }));
  }

  // Send a JSON request with a fresh transaction on the data channel, and wait for the JSON
  // answer carrying that transaction (the TextRoom's data channel protocol).
  async dataRequest(body, timeoutMs = DEFAULT_TIMEOUT) {
    const transaction = Janus.randomString(12);
    await this.sendData(JSON.stringify({ ...body, transaction }));
    const reply = await this.data.next((d) => d.json && d.json.transaction === transaction, timeoutMs);
    return reply.json;
  }

  // What getStats says about the media: inbound and outbound RTP, the selected candidate pair.
  async stats() {
    const pc = this.handle.webrtcStuff.pc;
    if (!pc) return null;
    const report = await pc.getStats();
    const byId = new Map();
    report.forEach((s) => byId.set(s.id, s));
    const summary = { inbound: [], outbound: [], pair: null };
    for (const s of byId.values()) {
      if (s.type === "inbound-rtp") {
        summary.inbound.push({
          kind: s.kind,
          mid: s.mid ?? null,
          packetsReceived: s.packetsReceived ?? 0,
          framesDecoded: s.framesDecoded ?? 0,
          frameWidth: s.frameWidth ?? null,
          frameHeight: s.frameHeight ?? null,
          totalSamplesReceived: s.totalSamplesReceived ?? 0,
        });
      } else if (s.type === "outbound-rtp") {
        summary.outbound.push({
          kind: s.kind,
          mid: s.mid ?? null,
          packetsSent: s.packetsSent ?? 0,
          framesEncoded: s.framesEncoded ?? 0,
        });
      } else if (s.type === "transport" && s.selectedCandidatePairId) {
        const pair = byId.get(s.selectedCandidatePairId);
        const local = pair && byId.get(pair.localCandidateId);
        const remote = pair && byId.get(pair.remoteCandidateId);
        summary.pair = {
          state: pair ? pair.state : null,
          local: local ? local.address : null,
          remote: remote ? remote.address : null,
        };
      }
    }
    return summary;
  }

  // Poll getStats every 100 ms until check(summary) is true; resolves with that summary.
  async waitStats(check, timeoutMs = DEFAULT_TIMEOUT) {
    const deadline = Date.now() + timeoutMs;
    let last = null;
    for (;;) {
      last = await this.stats();
      if (last && check(last)) return last;
      if (Date.now() > deadline) {
        throw new Error(`${this.plugin}: stats not as wanted in ${timeoutMs} ms: ${describe(last)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  // Wait until the inbound video (of `mid`, or any) has decoded `count` frames in all.
  waitFramesDecoded(count, { mid = null, timeoutMs = DEFAULT_TIMEOUT } = {}) {
    return this.waitStats(
      (s) =>
        s.inbound.some(
          (i) => i.kind === "video" && (mid === null || i.mid === mid) && i.framesDecoded >= count,
        ),
      timeoutMs,
    );
  }
}

const sessions = new Set();

const kit = {
  Queue,
  Peer,
  sessions,
  ready: promised((resolve) =>
    Janus.init({
      debug: (window.kitConfig && window.kitConfig.debug) || ["warn", "error"],
      dependencies: Janus.useDefaultDependencies({ adapter: window.adapter }),
      callback: resolve,
    }),
  ),

  // A janus.js session on `server` (ws:// or http:// URL). STUN is never used.
  connect(server, options = {}) {
    return promised((resolve, reject) => {
      let janus = null;
      const errors = new Queue(`session ${server} errors`);
      janus = new Janus({
        ...options,
        server,
        iceServers: [],
        success: () => {
          janus.errors = errors;
          sessions.add(janus);
          resolve(janus);
        },
        error: (error) => {
          errors.push(describe(error));
          reject(error);
        },
        destroyed: () => sessions.delete(janus),
      });
    });
  },

  // Attach a handle to `plugin` on a session from connect(); resolves with its Peer.
  attach(janus, plugin, options = {}) {
    const peer = new Peer(janus, plugin);
    return promised((resolve, reject) =>
      janus.attach({
        ...options,
        ...peer.callbacks(),
        plugin,
        success: (handle) => {
          peer.handle = handle;
          resolve(peer);
        },
        error: reject,
      }),
    );
  },

  // Destroy every session still open (their handles and peer connections too).
  async destroyAll() {
    const open = [...sessions];
    await Promise.all(
      open.map((janus) =>
        promised((resolve) =>
          janus.destroy({ cleanupHandles: true, success: resolve, error: resolve }),
        ),
      ),
    );
    sessions.clear();
  },
};

window.kit = kit;
