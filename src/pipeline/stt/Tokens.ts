// The transducer's output vocabulary (tokens.txt): maps token ids to BPE pieces and
// turns an id sequence into text, where "▁" marks the start of a word.

import { readFile } from "node:fs/promises";
import { VoxtraceError } from "../../errors.js";

const WORD_START = "\u2581";

export class Tokens {
  readonly #symbols: readonly string[];

  private constructor(symbols: readonly string[]) {
    this.#symbols = symbols;
  }

  /** Parses `<symbol> <id>` lines; `where` names the source in error messages. */
  static parse(content: string, where: string): Tokens {
    const symbols: string[] = [];
    const lines = content.split("\n");
    for (let lineNo = 0; lineNo < lines.length; lineNo++) {
      const line = lines[lineNo]!.replace(/\r$/, "");
      if (line.trim().length === 0) continue;
      // The symbol itself may be a space-like piece, so split on the last space only.
      const cut = line.lastIndexOf(" ");
      const id = cut > 0 ? Number(line.slice(cut + 1)) : NaN;
      if (!Number.isInteger(id) || id < 0) {
        throw new VoxtraceError(
          "model",
          `${where}:${lineNo + 1}: expected "<token> <id>", got ${JSON.stringify(line.slice(0, 40))} - re-download the model`,
        );
      }
      symbols[id] = line.slice(0, cut);
    }
    if (symbols.length === 0) {
      throw new VoxtraceError("model", `${where}: no tokens - re-download the model`);
    }
    return new Tokens(symbols);
  }

  static async load(path: string): Promise<Tokens> {
    let content: string;
    try {
      content = await readFile(path, "utf8");
    } catch (error) {
      throw new VoxtraceError("model", `${path}: cannot read tokens (${String(error)})`, {
        cause: error,
      });
    }
    return Tokens.parse(content, path);
  }

  get size(): number {
    return this.#symbols.length;
  }

  symbol(id: number): string | undefined {
    return this.#symbols[id];
  }

  idOf(symbol: string): number | undefined {
    const id = this.#symbols.indexOf(symbol);
    return id < 0 ? undefined : id;
  }

  /** Text for a token id sequence: words split at "▁", trimmed, lower-case. */
  textOf(ids: ArrayLike<number>): string {
    let text = "";
    for (let i = 0; i < ids.length; i++) {
      const symbol = this.#symbols[ids[i]!];
      // Special symbols such as <unk> carry no text.
      if (symbol === undefined || (symbol.startsWith("<") && symbol.endsWith(">"))) continue;
      text += symbol;
    }
    return text.replaceAll(WORD_START, " ").replace(/\s+/g, " ").trim().toLowerCase();
  }
}
