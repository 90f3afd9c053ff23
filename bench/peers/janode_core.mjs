// bench_core.py's workloads done with janode 1.8.0 (npm), Meetecho's Node adapter for Janus.
//
// Run by bench_core.py in a process of its own (node --expose-gc), never by hand, though it can be:
//
//     node --expose-gc bench/peers/janode_core.mjs '{"mode": "ops", "work": "sequential", ...}'
//
// The one argument is a JSON object (keys in bench/peers/__init__.py); janode is loaded from
// `janode_dir` (bench/.peers, where `npm install --prefix bench/.peers janode@1.8.0` put it).
// The script prints one JSON line with the figures, or with "error". It uses janode's public
// API only: Janode.connect(), connection.create(), session.attach(VideoRoomPlugin),
// handle.exists(), handle.detach(), session.destroy(), connection.close(). One connection
// carries every session, as the Python library's one connection does. janode logs at "info" by
// default (every session and handle made); the level is set to "warning", as an application
// would. It connects with max_retries 0, so that a server that is not there fails the run at
// once, as it does the Python clients', instead of after five retries 10 s apart. Latencies
// and times are in seconds; cpu is process.cpuUsage() (user + system, all threads), as
// Python's time.process_time() is.

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const spec = JSON.parse(process.argv[2]);
const result = { client: 'janode' };

const fromCache = createRequire(join(spec.janode_dir, 'package.json'));
const load = async (name) => (await import(pathToFileURL(fromCache.resolve(name)).href)).default;

const rssKb = () => {
  const line = readFileSync('/proc/self/status', 'ascii').split('\n').find((l) => l.startsWith('VmRSS:'));
  return parseInt(line.split(/\s+/)[1], 10);
};

const openSockets = () => {
  let count = 0;
  for (const name of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${name}`).startsWith('socket:')) count += 1;
    } catch {
      // the directory's own descriptor, gone by now
    }
  }
  return count;
};

const collect = () => {
  if (globalThis.gc) globalThis.gc();
};

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

const describe = (error) => (error instanceof Error
  ? `${error.name}: ${error.message}`
  : String(error?.message ?? error));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const withTimeout = (promise, seconds) => {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`run timed out after ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

async function runSequential(step, count) {
  const latencies = [];
  collect();
  const cpu0 = cpuSeconds();
  const start = performance.now();
  for (let i = 0; i < count; i += 1) {
    const began = performance.now();
    await step();
    latencies.push((performance.now() - began) / 1000);
  }
  return { count, elapsed: (performance.now() - start) / 1000, cpu: cpuSeconds() - cpu0, latencies };
}

async function runConcurrent(step, count, inFlight) {
  const latencies = [];
  let remaining = count;
  const worker = async () => {
    while (remaining > 0) {
      remaining -= 1;
      const began = performance.now();
      await step();
      latencies.push((performance.now() - began) / 1000);
    }
  };
  collect();
  const cpu0 = cpuSeconds();
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
  return { count, elapsed: (performance.now() - start) / 1000, cpu: cpuSeconds() - cpu0, latencies };
}

async function runPool(count, atOnce, one) {
  const errors = [];
  let remaining = count;
  const worker = async () => {
    while (remaining > 0) {
      remaining -= 1;
      try {
        await one();
      } catch (error) {
        errors.push(describe(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, count) }, worker));
  return errors;
}

async function ops(Janode, VideoRoom) {
  const connection = await Janode.connect({ address: { url: spec.url }, max_retries: 0 });
  const session = await connection.create();
  const handle = await session.attach(VideoRoom);
  const op = () => handle.exists({ room: spec.room });
  const cycle = async () => {
    const other = await connection.create();
    const otherHandle = await other.attach(VideoRoom);
    await otherHandle.detach();
    await other.destroy();
  };
  try {
    const step = spec.work === 'cycles' ? cycle : op;
    if (spec.work === 'cycles') {
      await runSequential(step, spec.warmup_cycles);
    } else {
      await runSequential(step, spec.warmup_ops);
      await runConcurrent(step, spec.warmup_ops, spec.in_flight);
    }
    const runs = [];
    for (let round = 0; round < spec.rounds; round += 1) {
      const run = spec.work === 'concurrent'
        ? runConcurrent(step, spec.count, spec.in_flight)
        : runSequential(step, spec.count);
      runs.push(await withTimeout(run, spec.run_timeout));
    }
    result.runs = runs;
  } finally {
    await session.destroy();
    await connection.close();
  }
}

async function sessions(Janode, VideoRoom) {
  const connection = await Janode.connect({ address: { url: spec.url }, max_retries: 0 });
  collect();
  result.rss_base_kb = rssKb();
  const made = [];
  const one = async () => {
    const session = await connection.create();
    made.push([session, await session.attach(VideoRoom)]);
  };
  let start = performance.now();
  let errors = await runPool(spec.count, spec.at_once, one);
  result.setup_s = (performance.now() - start) / 1000;
  result.created = made.length;
  if (errors.length) result.error = `${errors.length} failed, first: ${errors[0]}`;
  await sleep(spec.settle * 1000);
  if (made.length) { // every session must still answer, and the connection be up
    await made[0][1].exists({ room: spec.room });
    await made[made.length - 1][1].exists({ room: spec.room });
  }
  result.alive = true;
  collect();
  result.rss_after_kb = rssKb();
  result.sockets = openSockets();
  start = performance.now();
  let next = 0;
  errors = await runPool(made.length, spec.at_once, async () => {
    const [session] = made[next];
    next += 1;
    await session.destroy();
  });
  if (errors.length) result.teardown_error = `${errors.length} failed, first: ${errors[0]}`;
  result.teardown_s = (performance.now() - start) / 1000;
  await connection.close();
}

try {
  const manifest = join(spec.janode_dir, 'node_modules', 'janode', 'package.json');
  result.version = JSON.parse(readFileSync(manifest, 'utf8')).version;
  const Janode = await load('janode');
  const VideoRoom = await load('janode/plugins/videoroom');
  Janode.Logger.setLevel('warning');
  if (spec.mode === 'ops') await ops(Janode, VideoRoom);
  else await sessions(Janode, VideoRoom);
} catch (error) {
  if (!result.error) result.error = describe(error);
}
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
