/**
 * Running untrusted submission code: a child process in its own process group, with a wall-clock timeout,
 * an output cap (the first bytes are kept, the rest counted and dropped, the process stopped beyond a hard
 * limit), a minimal environment, and — when the grader runs as root — a dedicated unprivileged uid/gid per
 * submission, so that the code cannot write the grader's files, the references or another submission's
 * folder; every process left under that uid is killed afterwards.
 */
import { spawn } from 'node:child_process';
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

function uidInUse(uid: number): boolean {
  try {
    if (fs.readFileSync('/etc/passwd', 'utf8').split('\n').some((l) => l.split(':')[2] === String(uid))) return true;
  } catch { /* no passwd: rely on /proc */ }
  return processesOf(uid).length > 0;
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
 * A fresh identity for one submission: as root (and unless WORKBOOK_GRADE_SAME_USER=1) an unused uid/gid
 * from 61000 up (no /etc/passwd entry, no process); otherwise the grader's own user.
 */
export function newIdentity(): SandboxIdentity {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!dropsPrivileges()) {
    return { description: root ? 'the grader\'s user (root; WORKBOOK_GRADE_SAME_USER=1)' : 'the grader\'s own user (not root: no privilege drop)' };
  }
  for (let uid = 61000; uid < 65000; uid++) {
    if (usedUids.has(uid) || uidInUse(uid)) continue;
    usedUids.add(uid);
    return { uid, gid: uid, description: `unprivileged uid/gid ${uid}` };
  }
  throw new Error('no free uid in 61000–64999 for the grading sandbox');
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

/** Read a file the sandbox may have written: no symlinks followed, at most `maxBytes`; null if absent/unsafe. */
export function readUntrusted(file: string, maxBytes = 32 * 1024 * 1024): string | null {
  let fd: number;
  try { fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW); } catch { return null; }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size > maxBytes) return null;
    const buf = Buffer.alloc(st.size);
    fs.readSync(fd, buf, 0, st.size, 0);
    return buf.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
