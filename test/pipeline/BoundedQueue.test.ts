import { describe, expect, it } from "vitest";
import { BoundedQueue } from "../../src/pipeline/BoundedQueue.js";

async function drain<T>(queue: BoundedQueue<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of queue) items.push(item);
  return items;
}

describe("BoundedQueue", () => {
  it("delivers items in order and ends after close", async () => {
    const queue = new BoundedQueue<number>(4);
    const consumed = drain(queue);
    for (let i = 0; i < 10; i++) await queue.push(i);
    queue.close();
    expect(await consumed).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("makes a waiting producer feel back-pressure until the consumer takes an item", async () => {
    const queue = new BoundedQueue<number>(2);
    await queue.push(1);
    await queue.push(2);
    let third = false;
    const pushing = queue.push(3).then(() => (third = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBe(false);
    const iterator = queue[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toBe(1);
    await pushing;
    expect(third).toBe(true);
    expect(queue.depth).toBe(2);
  });

  it("refuses an offer when full instead of waiting, so live capture can count the drop", () => {
    const queue = new BoundedQueue<number>(1);
    expect(queue.offer(1)).toBe(true);
    expect(queue.offer(2)).toBe(false);
    expect(queue.depth).toBe(1);
  });

  it("releases a blocked producer when closed", async () => {
    const queue = new BoundedQueue<number>(1);
    await queue.push(1);
    const pushing = queue.push(2);
    queue.close();
    expect(await pushing).toBe(false);
  });

  it("polls the next queued item without waiting, and frees room for a waiting producer", async () => {
    const queue = new BoundedQueue<number>(1);
    expect(queue.poll()).toBeUndefined();
    await queue.push(1);
    const pushing = queue.push(2);
    expect(queue.poll()).toBe(1);
    expect(await pushing).toBe(true);
    expect(queue.poll()).toBe(2);
    expect(queue.poll()).toBeUndefined();
  });

  it("waits a bounded time for the next item; one that comes later stays queued", async () => {
    const queue = new BoundedQueue<number>(4);
    setTimeout(() => queue.offer(1), 5);
    expect(await queue.takeWithin(1000)).toBe(1);
    setTimeout(() => queue.offer(2), 60);
    expect(await queue.takeWithin(10)).toBeUndefined();
    expect(await queue.take()).toBe(2);
    queue.offer(3);
    expect(await queue.takeWithin(0)).toBe(3);
    queue.close();
    expect(await queue.takeWithin(1000)).toBeUndefined();
  });

  it("rejects a capacity that is not a positive integer at construction", () => {
    expect(() => new BoundedQueue(0)).toThrow(RangeError);
  });
});
