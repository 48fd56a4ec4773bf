// One reading of every NVIDIA GPU and of this process's memory on each, from two
// nvidia-smi queries. Values nvidia-smi cannot give ("[N/A]") stay undefined, so their
// series are left out rather than reported as zero.

import { execFile } from "node:child_process";

const MIB = 1024 * 1024;

export interface GpuDevice {
  /** nvidia-smi's device index, as hw.id. */
  id: string;
  name: string;
  uuid: string;
  usedBytes: number | undefined;
  totalBytes: number | undefined;
  /** 0..1 */
  utilization: number | undefined;
  /** This process's memory on the device; undefined when compute-apps could not be read. */
  processBytes: number | undefined;
}

export async function queryNvidiaSmi(
  pid: number,
  signal: AbortSignal,
  command = "nvidia-smi",
): Promise<GpuDevice[]> {
  const gpus = rows(
    await run(
      [
        "--query-gpu=index,name,uuid,memory.used,memory.total,utilization.gpu",
        "--format=csv,noheader,nounits",
      ],
      signal,
      command,
    ),
  );
  // Compute apps are listed by GPU UUID (there is no index field), hence uuid above.
  const apps = await run(
    ["--query-compute-apps=pid,gpu_uuid,used_memory", "--format=csv,noheader,nounits"],
    signal,
    command,
  ).then(rows, () => undefined);
  const mine = new Map<string, number>();
  for (const [appPid = "", uuid = "", used = ""] of apps ?? []) {
    const bytes = mebibytes(used);
    if (Number(appPid) === pid && bytes !== undefined)
      mine.set(uuid, (mine.get(uuid) ?? 0) + bytes);
  }
  return gpus.map(([index = "", name = "", uuid = "", used = "", total = "", util = ""]) => ({
    id: index,
    name,
    uuid,
    usedBytes: mebibytes(used),
    totalBytes: mebibytes(total),
    utilization: number(util) === undefined ? undefined : number(util)! / 100,
    // Listed apps that are not us mean this process holds nothing there: a true zero.
    processBytes: apps === undefined ? undefined : (mine.get(uuid) ?? 0),
  }));
}

function number(cell: string): number | undefined {
  const value = Number(cell);
  return cell !== "" && Number.isFinite(value) ? value : undefined;
}

function mebibytes(cell: string): number | undefined {
  const value = number(cell);
  return value === undefined ? undefined : value * MIB;
}

function rows(csv: string): string[][] {
  return csv
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => line.split(",").map((cell) => cell.trim()));
}

function run(args: string[], signal: AbortSignal, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error("stopped"));
    // Not execFile's own `signal`: aborting a child whose spawn failed (no nvidia-smi)
    // makes Node signal pid 0, which is our whole process group (SIGTERM to ourselves and
    // to the shell that started us). Kill only a child that really runs.
    const child = execFile(command, args, { timeout: 5000 }, (error, stdout) => {
      signal.removeEventListener("abort", stop);
      if (error) reject(new Error(error.message, { cause: error }));
      else resolve(stdout);
    });
    function stop(): void {
      if (child.pid !== undefined && child.pid > 0 && child.exitCode === null && !child.killed)
        child.kill();
    }
    signal.addEventListener("abort", stop, { once: true });
  });
}
