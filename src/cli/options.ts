// Parsers for command-line option values: each turns a bad value into a one-line
// usage error that names the flag and what it accepts.

import { VoxtraceError } from "../errors.js";

export function integerOption(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new VoxtraceError(
        "usage",
        `${flag} ${value}: expected a whole number from ${min} to ${max}`,
      );
    }
    return parsed;
  };
}

export function numberOption(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (value.trim() === "" || !Number.isFinite(parsed) || parsed < min || parsed > max) {
      throw new VoxtraceError("usage", `${flag} ${value}: expected a number from ${min} to ${max}`);
    }
    return parsed;
  };
}

export function choiceOption<T extends string>(
  flag: string,
  choices: readonly T[],
): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new VoxtraceError("usage", `${flag} ${value}: expected one of ${choices.join(", ")}`);
    }
    return value as T;
  };
}

/** Accumulates a repeatable option into an array. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
