// The append-only event log on disk: newline-delimited JSON, one event a line, file mode
// 0600, one writer at a time (a lock file holding the writer's pid), rotation by size.
// Durability: lines are written as they come and fsync'd at most once a second and at
// close, so a crash loses at most the last second and can tear at most the last line.

import {
  closeSync,
  mkdirSync,
  existsSync,
  lstatSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  readFileSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { isVoxtraceError, VoxtraceError } from "../errors.js";
import { openPrivateFile } from "../files/openPrivateFile.js";
import { serializeEvent, type RecordedEvent } from "./AnalyzerEvent.js";

export interface EventLogOptions {
  /** Rotate when the current file passes this size; 0 never rotates. Default 10 MB. */
  maxBytes?: number;
  /** How often buffered writes are made durable. Default 1000 ms. */
  fsyncIntervalMs?: number;
}

export class EventLog {
  readonly path: string;
  readonly #lockPath: string;
  readonly #maxBytes: number;
  #fd: number;
  #bytes = 0;
  #dirty = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(file: string, fd: number, options: EventLogOptions) {
    this.path = file;
    this.#lockPath = `${file}.lock`;
    this.#fd = fd;
    this.#maxBytes = options.maxBytes ?? 10e6;
    const interval = options.fsyncIntervalMs ?? 1000;
    this.#timer = setInterval(() => this.sync(), interval);
    this.#timer.unref();
  }

  static open(file: string, options: EventLogOptions = {}): Promise<EventLog> {
    // async so a refusal arrives as a rejected promise, as callers of open() expect.
    return Promise.resolve().then(() => EventLog.openSync(file, options));
  }

  /** Opens synchronously: a plugin builds its analyzer before the SDK starts, in one call. */
  static openSync(file: string, options: EventLogOptions = {}): EventLog {
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new VoxtraceError(
        "bad_input",
        `${file}: cannot create its folder (${(error as NodeJS.ErrnoException).code ?? String(error)}) - ${CHOOSE_ANOTHER}`,
      );
    }
    takeLock(`${file}.lock`, file);
    let fd: number | undefined;
    try {
      // Appending, and reading the tail to find a torn last line.
      fd = openPrivateFile(file, "append-read", CHOOSE_ANOTHER);
      // Refused before any cut, so a refused log is left exactly as it was; what may be
      // cut is one torn line, all a writer that crashed before its first newline left.
      refuseUsedLog(fd, file, { butOneTornLine: true });
      dropTornTail(fd);
      refuseUsedLog(fd, file, { butOneTornLine: false });
      return new EventLog(file, fd, options);
    } catch (error) {
      if (fd !== undefined) closeSync(fd);
      rmSync(`${file}.lock`, { force: true });
      if (isVoxtraceError(error)) throw error;
      throw new VoxtraceError(
        "bad_input",
        `${file}: cannot open the event log (${(error as NodeJS.ErrnoException).code ?? String(error)}) - choose another --events path`,
      );
    }
  }

  append(event: RecordedEvent): void {
    if (this.#closed) return;
    const line = `${serializeEvent(event)}\n`;
    this.#bytes += writeSync(this.#fd, line);
    this.#dirty = true;
    if (this.#maxBytes > 0 && this.#bytes >= this.#maxBytes) this.#rotate();
  }

  /** Makes everything appended so far durable. */
  sync(): void {
    if (!this.#dirty || this.#closed) return;
    fsyncSync(this.#fd);
    this.#dirty = false;
  }

  close(): void {
    if (this.#closed) return;
    this.sync();
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    closeSync(this.#fd);
    rmSync(this.#lockPath, { force: true });
  }

  /**
   * Rotated parts are LOG.1, LOG.2, ... in order; the live file is always LOG. The next
   * part continues after the highest one on disk and is never renamed over an existing one.
   */
  #rotate(): void {
    this.sync();
    closeSync(this.#fd);
    let part = Math.max(0, ...rotatedParts(this.path)) + 1;
    while (existsSync(`${this.path}.${part}`)) part++;
    renameSync(this.path, `${this.path}.${part}`);
    this.#fd = openPrivateFile(this.path, "append", CHOOSE_ANOTHER);
    this.#bytes = 0;
  }
}

const CHOOSE_ANOTHER = "choose another --events path";

/** Numbers of the rotated parts LOG.N next to `file`. */
function rotatedParts(file: string): number[] {
  const base = path.basename(file);
  const parts: number[] = [];
  for (const name of readdirSync(path.dirname(file))) {
    if (!name.startsWith(`${base}.`)) continue;
    const suffix = name.slice(base.length + 1);
    if (/^[1-9]\d*$/.test(suffix)) parts.push(Number(suffix));
  }
  return parts;
}

/**
 * One log holds one session. Appending a second would restart seq in the middle of the
 * first and merge two sessions' alerts and summaries silently, so a log that already
 * holds anything (or has rotated parts) is refused; every session gets its own path.
 */
function refuseUsedLog(fd: number, file: string, allow: { butOneTornLine: boolean }): void {
  const parts = rotatedParts(file);
  const size = fstatSync(fd).size;
  const used = allow.butOneTornLine ? lastLineStart(fd, size) > 0 : size > 0;
  if (!used && parts.length === 0) return;
  const also = parts.length > 0 ? ` (and rotated parts up to ${file}.${Math.max(...parts)})` : "";
  throw new VoxtraceError(
    "usage",
    `${file} already holds a session${also} - choose another --events path or remove it`,
  );
}

/** How much of the file is read at a time when looking back for the last newline. */
const CHUNK_BYTES = 64 * 1024;

/** Offset just after the last newline in the first `size` bytes of `fd`; 0 if none. */
function lastLineStart(fd: number, size: number): number {
  const chunk = Buffer.alloc(Math.min(size, CHUNK_BYTES));
  // Back from the end in chunks, so a line of any length is found (a 1 MB look-back was not).
  for (let end = size; end > 0;) {
    const start = Math.max(0, end - chunk.length);
    const read = readSync(fd, chunk, 0, end - start, start);
    const newline = chunk.subarray(0, read).lastIndexOf(0x0a);
    if (newline >= 0) return start + newline + 1;
    end = start;
  }
  return 0;
}

/**
 * A writer that crashed mid-line left a torn last line. Appending after it would glue the
 * next session's first line onto it, damaging the middle of the log so the whole log is
 * refused on reading; the torn line is unreadable anyway, so it is cut off, whatever its
 * length. Only what our writer starts every line with is cut: never a file that is not a log.
 */
function dropTornTail(fd: number): void {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  const start = lastLineStart(fd, size);
  if (start === size) return;
  const head = Buffer.alloc(7);
  readSync(fd, head, 0, head.length, start);
  if (head.toString("latin1") === '{"seq":') ftruncateSync(fd, start);
}

function takeLock(lock: string, file: string): void {
  try {
    const fd = openPrivateFile(lock, "new", CHOOSE_ANOTHER);
    writeSync(fd, String(process.pid));
    closeSync(fd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    // Only a lock we could have written is read or taken over: not a link, not a folder.
    const stat = lstatSync(lock, { throwIfNoEntry: false });
    if (stat && !stat.isFile())
      throw new VoxtraceError(
        "bad_input",
        `${lock}: the lock path is ${stat.isSymbolicLink() ? "a symbolic link" : "not a regular file"}, not a voxtrace lock - remove it or ${CHOOSE_ANOTHER}`,
      );
    if (!stat) return takeLock(lock, file); // released meanwhile
    const pid = Number(readFileSync(lock, "utf8"));
    if (pid > 0 && isAlive(pid)) {
      throw new VoxtraceError(
        "unavailable",
        `${file} is being written by pid ${pid} - use another --events path`,
      );
    }
    rmSync(lock, { force: true }); // left by a writer that died: take it over
    takeLock(lock, file);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
