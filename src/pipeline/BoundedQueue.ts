// A bounded async FIFO joining two pipeline stages. Producers that may wait (file
// sources) use `push` and feel back-pressure; producers that must never block (live
// capture) use `offer`, which refuses when full so the caller can count the drop.

export class BoundedQueue<T> implements AsyncIterable<T> {
  readonly #items: T[] = [];
  readonly #capacity: number;
  #closed = false;
  #wakeConsumer: (() => void) | undefined;
  #wakeProducers: (() => void)[] = [];

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`queue capacity must be a positive integer, got ${capacity}`);
    }
    this.#capacity = capacity;
  }

  get depth(): number {
    return this.#items.length;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Adds an item, waiting while the queue is full. Returns false if the queue closed. */
  async push(item: T): Promise<boolean> {
    while (this.#items.length >= this.#capacity && !this.#closed) {
      await new Promise<void>((resolve) => this.#wakeProducers.push(resolve));
    }
    return this.offer(item);
  }

  /** Adds an item if there is room; never waits. */
  offer(item: T): boolean {
    if (this.#closed || this.#items.length >= this.#capacity) return false;
    this.#items.push(item);
    this.#wakeConsumer?.();
    this.#wakeConsumer = undefined;
    return true;
  }

  /** The next item if one is queued; never waits. */
  poll(): T | undefined {
    const item = this.#items.shift();
    if (item !== undefined) this.#releaseProducers();
    return item;
  }

  /** The next item, waiting for one to arrive; undefined once closed and drained. */
  async take(): Promise<T | undefined> {
    for (;;) {
      const item = this.poll();
      if (item !== undefined || this.#closed) return item;
      await new Promise<void>((resolve) => (this.#wakeConsumer = resolve));
    }
  }

  /**
   * The next item, waiting at most `ms` for one to arrive; undefined if none came (or the
   * queue closed and drained). An item that arrives later stays queued.
   */
  async takeWithin(ms: number): Promise<T | undefined> {
    const item = this.poll();
    if (item !== undefined || this.#closed || ms <= 0) return item;
    let timer: NodeJS.Timeout | undefined;
    let wake: (() => void) | undefined;
    await new Promise<void>((resolve) => {
      wake = resolve;
      this.#wakeConsumer = resolve;
      timer = setTimeout(resolve, ms);
    });
    clearTimeout(timer);
    if (this.#wakeConsumer === wake) this.#wakeConsumer = undefined;
    return this.poll();
  }

  /** No more items will come; the consumer drains what is queued, then stops. */
  close(): void {
    this.#closed = true;
    this.#wakeConsumer?.();
    this.#wakeConsumer = undefined;
    this.#releaseProducers();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (let item = await this.take(); item !== undefined; item = await this.take()) yield item;
  }

  #releaseProducers(): void {
    const waiting = this.#wakeProducers;
    this.#wakeProducers = [];
    for (const wake of waiting) wake();
  }
}
