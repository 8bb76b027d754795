/**
 * Running untrusted submission code: a child process in its own process group, with a wall-clock timeout,
 * an output cap (the first bytes are kept, the rest counted and dropped, the process stopped beyond a hard
 * limit), a minimal environment, and — when the grader runs as root — a dedicated unprivileged uid/gid per
 * submission, so that the code cannot write the grader's files, the references or another submission's
 * folder; every process left under that uid is killed afterwards.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Who the submission runs as: a dedicated uid/gid (root grader) or the grader's own user. */
export interface SandboxIdentity {
  uid?: number;
  gid?: number;
  /** Human description for reports. */
  description: string;
}

/** Options of {@link runSandboxed}. */
export interface SandboxOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  identity: SandboxIdentity;
  /** Bytes of stdout+stderr kept (default 64 KiB). */
  keepBytes?: number;
  /** Output beyond this stops the process (default 64 MiB). */
  maxBytes?: number;
}

/** Result of {@link runSandboxed}. */
export interface SandboxResult {
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Stopped because it printed more than maxBytes. */
  outputLimited: boolean;
  /** First keepBytes of stdout and stderr (interleaved as they came). */
  output: string;
  /** Total bytes printed. */
  outputBytes: number;
  seconds: number;
}

const usedUids = new Set<number>();

function listedIn(file: string, id: number): boolean {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').some((l) => l.split(':')[2] === String(id));
  } catch { return false; /* no such file: rely on /proc */ }
}

function uidInUse(uid: number): boolean {
  return listedIn('/etc/passwd', uid) || listedIn('/etc/group', uid) || processesOf(uid).length > 0;
}

/**
 * The uids this process may switch to, as [first, last] ranges: those mapped in its user namespace
 * (/proc/self/uid_map; the full 32-bit range outside containers), from 100000 up (below are system and login users).
 */
function candidateUidRanges(): [number, number][] {
  let map = '0 0 4294967295';
  try { map = fs.readFileSync('/proc/self/uid_map', 'utf8'); } catch { /* not Linux: assume the full range */ }
  const out: [number, number][] = [];
  for (const line of map.trim().split('\n')) {
    const [inside, , count] = line.trim().split(/\s+/).map(Number);
    const lo = Math.max(inside, 100000), hi = Math.min(inside + count - 1, 2 ** 31 - 2);
    if (hi - lo >= 1000) out.push([lo, hi]);
  }
  return out.length ? out : [[61000, 64999]];
}

/** Pids of processes whose real uid is `uid` (Linux /proc). */
export function processesOf(uid: number): number[] {
  const out: number[] = [];
  let entries: string[] = [];
  try { entries = fs.readdirSync('/proc'); } catch { return out; }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const m = /^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${e}/status`, 'utf8'));
      if (m && Number(m[1]) === uid) out.push(Number(e));
    } catch { /* gone */ }
  }
  return out;
}

/**
 * The first directory on the way to `p` (its ancestors from `/`, and `p` itself if a directory) that users
 * other than the owner cannot traverse (no o+x), or null. A dedicated sandbox uid cannot reach anything below
 * it — e.g. a checkout inside a `mktemp -d` folder (mode 700).
 */
export function untraversableDir(p: string): string | null {
  const chain: string[] = [];
  for (let cur = path.resolve(p); ; cur = path.dirname(cur)) {
    chain.unshift(cur);
    if (path.dirname(cur) === cur) break;
  }
  for (const d of chain) {
    let st: fs.Stats;
    try { st = fs.statSync(d); } catch { return d; }
    if (st.isDirectory() && (st.mode & 0o001) === 0) return d;
  }
  return null;
}

/** True when submissions will run under dedicated uids (the grader is root and WORKBOOK_GRADE_SAME_USER is not 1). */
export function dropsPrivileges(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0 && process.env.WORKBOOK_GRADE_SAME_USER !== '1';
}

/**
 * A fresh identity for one submission: as root (and unless WORKBOOK_GRADE_SAME_USER=1) a uid/gid drawn at
 * random from the mapped range above 100000 — so two grading runs practically never hand the same uid to two
 * students — that has no /etc/passwd or /etc/group entry, no process, and was not used earlier in this
 * process; otherwise the grader's own user. Files a uid leaves behind are removed by {@link removeFilesOf}.
 */
export function newIdentity(): SandboxIdentity {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!dropsPrivileges()) {
    return { description: root ? 'the grader\'s user (root; WORKBOOK_GRADE_SAME_USER=1)' : 'the grader\'s own user (not root: no privilege drop)' };
  }
  const ranges = candidateUidRanges();
  for (let attempt = 0; attempt < 200; attempt++) {
    const [lo, hi] = ranges[randomInt(ranges.length)];
    const uid = lo + randomInt(hi - lo + 1);
    if (usedUids.has(uid) || uidInUse(uid)) continue;
    usedUids.add(uid);
    return { uid, gid: uid, description: `unprivileged uid/gid ${uid}` };
  }
  throw new Error(`no free uid found for the grading sandbox in ${ranges.map(([a, b]) => `${a}–${b}`).join(', ')}`);
}

/** World-writable folders where a sandboxed process can leave files outside its work folder. */
export const SHARED_TMP_DIRS = ['/tmp', '/var/tmp', '/dev/shm'];

/**
 * Remove every file and folder owned by the identity's uid below `dirs` (symlinks are removed, never
 * followed); folders owned by others are searched only where others may write (mode o+w), so the walk stays
 * inside places the uid could have written to. Returns the paths removed. Nothing for the grader's own user.
 */
export function removeFilesOf(identity: SandboxIdentity, dirs: string[] = SHARED_TMP_DIRS): string[] {
  if (identity.uid === undefined) return [];
  const removed: string[] = [];
  const walk = (dir: string, depth: number): void => {
    let entries: string[];
    try { entries = fs.readdirSync(dir); } catch { return; }
    for (const e of entries) {
      const f = path.join(dir, e);
      let st: fs.Stats;
      try { st = fs.lstatSync(f); } catch { continue; }
      if (st.uid === identity.uid) {
        try { fs.rmSync(f, { recursive: true, force: true }); removed.push(f); } catch { /* gone or busy */ }
      } else if (st.isDirectory() && (st.mode & 0o002) && depth < 8) {
        walk(f, depth + 1);
      }
    }
  };
  for (const d of dirs) walk(d, 0);
  return removed;
}

/** Kill every process left by an identity (its uid), or nothing for the grader's own user. */
export function killLeftovers(identity: SandboxIdentity): number {
  if (identity.uid === undefined) return 0;
  let n = 0;
  for (let round = 0; round < 3; round++) {
    const pids = processesOf(identity.uid);
    if (!pids.length) break;
    for (const p of pids) { try { process.kill(p, 'SIGKILL'); n++; } catch { /* gone */ } }
  }
  return n;
}

/** Make a folder owned by the identity (mode 0700), or by the grader when there is no identity. */
export function makeOwnedDir(dir: string, identity: SandboxIdentity): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (identity.uid !== undefined) fs.chownSync(dir, identity.uid, identity.gid ?? identity.uid);
}

/** Run `command args` as the identity with the limits; never throws for what the child does. */
export function runSandboxed(command: string, args: string[], opts: SandboxOptions): Promise<SandboxResult> {
  const keep = opts.keepBytes ?? 64 * 1024, max = opts.maxBytes ?? 64 * 1024 * 1024;
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      uid: opts.identity.uid, gid: opts.identity.gid,
    });
    const chunks: Buffer[] = [];
    let kept = 0, total = 0, timedOut = false, outputLimited = false, done = false;
    const killGroup = (): void => {
      try { if (child.pid) process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      killLeftovers(opts.identity);
    };
    const onData = (b: Buffer): void => {
      total += b.length;
      if (kept < keep) { const part = b.subarray(0, keep - kept); chunks.push(part); kept += part.length; }
      if (total > max && !outputLimited) { outputLimited = true; killGroup(); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    // A process that escaped the group could keep the pipes open: never wait more than 2 s past exit/kill.
    const force = (code: number | null, signal: string | null): void => {
      setTimeout(() => { child.stdout!.destroy(); child.stderr!.destroy(); finish(code, signal); }, 2000).unref();
    };
    const timer = setTimeout(() => { timedOut = true; killGroup(); force(null, 'SIGKILL'); }, opts.timeoutMs);
    const finish = (code: number | null, signal: string | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      killGroup();
      resolve({ code, signal, timedOut, outputLimited, output: Buffer.concat(chunks).toString('utf8'), outputBytes: total, seconds: (Date.now() - t0) / 1000 });
    };
    child.on('error', (e) => { chunks.push(Buffer.from(`\n[grader] could not start ${command}: ${e.message}\n`)); finish(null, null); });
    child.on('exit', (code, signal) => force(code, signal));
    child.on('close', (code, signal) => finish(code, signal));
  });
}

/**
 * Node's permission-model flags that limit a Node process to reading `read` and writing `write` (files, or
 * folders with everything below them), with no child processes, worker threads, native addons or inspector
 * (`--experimental-permission` on Node 20, `--permission` from 22; one `--allow-fs-*` flag per path, as Node
 * ≥ 20.19 requires); the experimental-feature warning is silenced.
 * @throws Error if one path is a string prefix of another (`a/resolve` and `a/resolve-x`): Node 20 then
 * denies the shorter one.
 */
export function nodePermissionArgs(read: string[], write: string[]): string[] {
  for (const ps of [read, write]) {
    for (const a of ps) for (const b of ps) {
      if (a !== b && b.startsWith(a)) throw new Error(`grading sandbox: cannot grant both ${a} and ${b} (Node's permission model refuses the shorter one); grant their common folder`);
    }
  }
  const major = Number(process.versions.node.split('.')[0]);
  return [major >= 22 ? '--permission' : '--experimental-permission', '--disable-warning=ExperimentalWarning',
    ...read.map((p) => `--allow-fs-read=${p}`), ...write.map((p) => `--allow-fs-write=${p}`)];
}
