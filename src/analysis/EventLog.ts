// The append-only event log on disk: newline-delimited JSON, one event a line, file mode
// 0600, one writer at a time (a lock file holding the writer's pid), rotation by size.
// Durability: lines are written as they come and fsync'd at most once a second and at
// close, so a crash loses at most the last second and can tear at most the last line.

import {
  closeSync,
  lstatSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { mkdir } from "node:fs/promises";
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
  #rotations = 0;

  private constructor(file: string, fd: number, options: EventLogOptions) {
    this.path = file;
    this.#lockPath = `${file}.lock`;
    this.#fd = fd;
    this.#maxBytes = options.maxBytes ?? 10e6;
    const interval = options.fsyncIntervalMs ?? 1000;
    this.#timer = setInterval(() => this.sync(), interval);
    this.#timer.unref();
  }

  static async open(file: string, options: EventLogOptions = {}): Promise<EventLog> {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    takeLock(`${file}.lock`, file);
    try {
      // Appending, and reading the tail to find a torn last line.
      const fd = openPrivateFile(file, "append-read", TODO);
      dropTornTail(fd);
      return new EventLog(file, fd, options);
    } catch (error) {
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

  /** Rotated parts are LOG.1, LOG.2, ... in order; the live file is always LOG. */
  #rotate(): void {
    this.sync();
    closeSync(this.#fd);
    this.#rotations++;
    renameSync(this.path, `${this.path}.${this.#rotations}`);
    this.#fd = openPrivateFile(this.path, "append", TODO);
    this.#bytes = 0;
  }
}

const TODO = "choose another --events path";

/** Longest line we look back over for the last newline; events are far smaller. */
const TAIL_BYTES = 1 << 20;

/**
 * A writer that crashed mid-line left a torn last line. Appending after it would glue
 * the next session's first line onto it, damaging the middle of the log so the whole
 * log is refused on reading; the torn line is unreadable anyway, so it is cut off.
 */
function dropTornTail(fd: number): void {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  const length = Math.min(size, TAIL_BYTES);
  const tail = Buffer.alloc(length);
  readSync(fd, tail, 0, length, size - length);
  if (tail[length - 1] === 0x0a) return;
  const start = tail.lastIndexOf(0x0a) + 1;
  if (start === 0 && size > length) return; // no line start in sight: not ours to cut
  // Only what our writer starts every line with: never cut a file that is not a log.
  if (!tail.subarray(start).toString("latin1").startsWith('{"seq":')) return;
  ftruncateSync(fd, size - length + start);
}

function takeLock(lock: string, file: string): void {
  try {
    const fd = openPrivateFile(lock, "new", TODO);
    writeSync(fd, String(process.pid));
    closeSync(fd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    // Only a lock we could have written is read or taken over: not a link, not a folder.
    const stat = lstatSync(lock, { throwIfNoEntry: false });
    if (stat && !stat.isFile())
      throw new VoxtraceError(
        "bad_input",
        `${lock}: the lock path is ${stat.isSymbolicLink() ? "a symbolic link" : "not a regular file"}, not a voxtrace lock - remove it or ${TODO}`,
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
