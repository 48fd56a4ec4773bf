// How the reader thread hands checked events to the fold: gauge and histogram events (nearly
// all of a log) as numbers in one Float64Array, which moves between threads without a copy
// and rebuilds into objects ten times faster than JSON.parse makes them; metric names and
// attribute sets once each, by number; anything else (session start and end, alerts) as it
// is. The events rebuilt equal the ones the checked lines gave.

import type { Attributes, Buckets, RecordedEvent } from "./AnalyzerEvent.js";

export interface EventBatch {
  numbers: Float64Array;
  /** Metric names first seen in this batch, numbered on from the ones before. */
  names: string[];
  /** Attribute sets first seen in this batch, as [key, value] pairs. */
  attributeSets: [string, string | number | boolean][][];
  /** Events of other types, in order; the numbers say where each goes. */
  others: RecordedEvent[];
}

const GAUGE = 1;
const HISTOGRAM = 2;
const OTHER = 3;
const EXPLICIT = 0;
const EXPONENTIAL = 1;
const NO_ATTRIBUTES = -1;

type Gauge = RecordedEvent & { type: "GaugeObserved" };
type Histogram = RecordedEvent & { type: "HistogramObserved" };

export class EventEncoder {
  readonly #names = new Map<string, number>();
  readonly #sets = new Map<string, number>();
  #numbers = new Float64Array(1 << 14);
  #at = 0;
  #batch: Omit<EventBatch, "numbers"> = { names: [], attributeSets: [], others: [] };

  /** Numbers written since the last batch was taken. */
  get size(): number {
    return this.#at;
  }

  add(event: RecordedEvent): void {
    if (event.type === "GaugeObserved") this.#gauge(event);
    else if (event.type === "HistogramObserved") this.#histogram(event);
    else {
      this.#reserve(1);
      this.#numbers[this.#at++] = OTHER;
      this.#batch.others.push(event);
    }
  }

  /** The events added since the last call, in a buffer of their own (sent without a copy). */
  take(): EventBatch {
    const batch = { numbers: this.#numbers.slice(0, this.#at), ...this.#batch };
    this.#at = 0;
    this.#batch = { names: [], attributeSets: [], others: [] };
    return batch;
  }

  #gauge(event: Gauge): void {
    const { data } = event;
    this.#reserve(6);
    const n = this.#numbers;
    n[this.#at++] = GAUGE;
    n[this.#at++] = event.seq;
    n[this.#at++] = event.time;
    n[this.#at++] = this.#name(data.metric);
    n[this.#at++] = data.value;
    n[this.#at++] = this.#attributes(data.attributes);
  }

  #histogram(event: Histogram): void {
    const { data } = event;
    const b = data.buckets;
    const length =
      b.kind === "explicit"
        ? 2 + b.boundaries.length + b.counts.length
        : 7 + b.positive.counts.length + b.negative.counts.length;
    this.#reserve(9 + length);
    const n = this.#numbers;
    n[this.#at++] = HISTOGRAM;
    n[this.#at++] = event.seq;
    n[this.#at++] = event.time;
    n[this.#at++] = this.#name(data.metric);
    n[this.#at++] = this.#attributes(data.attributes);
    n[this.#at++] = data.count;
    n[this.#at++] = data.sum;
    // Values are finite (the schema says so), so NaN can stand for "absent".
    n[this.#at++] = data.min ?? NaN;
    n[this.#at++] = data.max ?? NaN;
    if (b.kind === "explicit") {
      n[this.#at++] = EXPLICIT;
      n[this.#at++] = b.boundaries.length;
      for (const x of b.boundaries) n[this.#at++] = x;
      for (const x of b.counts) n[this.#at++] = x;
    } else {
      n[this.#at++] = EXPONENTIAL;
      n[this.#at++] = b.scale;
      n[this.#at++] = b.zeroCount;
      for (const range of [b.positive, b.negative]) {
        n[this.#at++] = range.offset;
        n[this.#at++] = range.counts.length;
        for (const x of range.counts) n[this.#at++] = x;
      }
    }
  }

  #reserve(count: number): void {
    if (this.#at + count <= this.#numbers.length) return;
    const grown = new Float64Array(Math.max(this.#numbers.length * 2, this.#at + count));
    grown.set(this.#numbers.subarray(0, this.#at));
    this.#numbers = grown;
  }

  #name(name: string): number {
    let id = this.#names.get(name);
    if (id === undefined) {
      id = this.#names.size;
      this.#names.set(name, id);
      this.#batch.names.push(name);
    }
    return id;
  }

  #attributes(attributes: Attributes | undefined): number {
    if (attributes === undefined) return NO_ATTRIBUTES;
    // A key that tells every set apart: each key and value with its length and type.
    let key = "";
    for (const name in attributes) {
      const value = attributes[name]!;
      const shown = Object.is(value, -0) ? "-0" : String(value);
      key += `${name.length}:${name}${typeof value}${shown.length}:${shown}`;
    }
    let id = this.#sets.get(key);
    if (id === undefined) {
      id = this.#sets.size;
      this.#sets.set(key, id);
      const pairs: [string, string | number | boolean][] = [];
      for (const name in attributes) pairs.push([name, attributes[name]!]);
      this.#batch.attributeSets.push(pairs);
    }
    return id;
  }
}

export class EventDecoder {
  readonly #names: string[] = [];
  /** Shared by every event with the same set: frozen, so no reader can change another's. */
  readonly #sets: Attributes[] = [];

  decode(batch: EventBatch, onEvent: (event: RecordedEvent) => void): void {
    this.#names.push(...batch.names);
    for (const pairs of batch.attributeSets) {
      const attributes = Object.create(null) as Attributes;
      for (const [key, value] of pairs) attributes[key] = value;
      this.#sets.push(Object.freeze(attributes));
    }
    const n = batch.numbers;
    let at = 0;
    let other = 0;
    while (at < n.length) {
      const kind = n[at++];
      if (kind === OTHER) {
        onEvent(batch.others[other++]!);
        continue;
      }
      const seq = n[at++]!;
      const time = n[at++]!;
      const metric = this.#names[n[at++]!]!;
      if (kind === GAUGE) {
        const value = n[at++]!;
        const set = n[at++]!;
        onEvent(
          set === NO_ATTRIBUTES
            ? { seq, time, type: "GaugeObserved", data: { metric, value } }
            : {
                seq,
                time,
                type: "GaugeObserved",
                data: { metric, value, attributes: this.#sets[set]! },
              },
        );
        continue;
      }
      const set = n[at++]!;
      const count = n[at++]!;
      const sum = n[at++]!;
      const min = n[at++]!;
      const max = n[at++]!;
      let buckets: Buckets;
      if (n[at++] === EXPLICIT) {
        const size = n[at++]!;
        const boundaries = new Array<number>(size);
        for (let i = 0; i < size; i++) boundaries[i] = n[at++]!;
        const counts = new Array<number>(size + 1);
        for (let i = 0; i <= size; i++) counts[i] = n[at++]!;
        buckets = { kind: "explicit", boundaries, counts };
      } else {
        const scale = n[at++]!;
        const zeroCount = n[at++]!;
        const ranges = [];
        for (let r = 0; r < 2; r++) {
          const offset = n[at++]!;
          const size = n[at++]!;
          const counts = new Array<number>(size);
          for (let i = 0; i < size; i++) counts[i] = n[at++]!;
          ranges.push({ offset, counts });
        }
        buckets = {
          kind: "exponential",
          scale,
          zeroCount,
          positive: ranges[0]!,
          negative: ranges[1]!,
        };
      }
      const data: Histogram["data"] = { metric, count, sum, buckets };
      if (set !== NO_ATTRIBUTES) data.attributes = this.#sets[set]!;
      if (!Number.isNaN(min)) data.min = min;
      if (!Number.isNaN(max)) data.max = max;
      onEvent({ seq, time, type: "HistogramObserved", data });
    }
  }
}
