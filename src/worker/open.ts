/**
 * How a workbench reads a stack file from the server (src/lab/document.ts,
 * and the browser bench, which does what a workbench does). The read
 * worker reads it and hands the stack to the page, which puts it into the
 * workbench's stack worker: two hand-overs of the cube by postMessage,
 * which Chromium refuses for buffers of 2 GiB or more. So a stack of more
 * than TRANSFER_LIMIT_VALUES is refused by the read worker before its cube
 * is read (`TooLargeToMoveError`), and read by the stack worker itself
 * (`WorkerCubeStore.readFromServer`, the full bundle), where it stays: the
 * page gets its description and first frame (`HeldStack`), and its runs go
 * there too (`runInPlace`).
 */
import type { HeldStack } from '../core/model/cube.js';
import type { Stack } from '../core/model/stack.js';
import type { AnalysisWorkerClient } from './client.js';
import { TooLargeToMoveError, type ServerRead } from './protocol.js';
import type { WorkerCubeStore } from './store.js';

export interface WorkbenchReadOptions {
  /** Headers every request carries (the server's token). */
  headers?: Record<string, string>;
  /** Values of the cube read so far, of the total. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Stacks of more values than this stay in the stack worker (default and
   * most: TRANSFER_LIMIT_VALUES; tests lower it to take that path cheaply).
   */
  transferLimit?: number;
  /**
   * Apply the file's ring current as the cube is read (counts × mean /
   * current): the current is never a cube in memory, and the stack has no
   * `control` but `ringCurrentApplied`.
   */
  applyRingCurrent?: boolean;
}

/**
 * Read the stack at `url` for a workbench whose stack worker is `store`:
 * a `Stack` from the read worker (the model puts it into the store), or,
 * for a stack too large to move, a `HeldStack` its store read and holds.
 * Without a store that reads files, a stack too large to move is refused
 * with the read worker's message.
 */
export async function readWorkbenchStack(
  client: Pick<AnalysisWorkerClient, 'readStackFromServer'>,
  store: Pick<WorkerCubeStore, 'canRead' | 'readFromServer'> | null,
  name: string,
  url: string,
  options: WorkbenchReadOptions = {}
): Promise<{ stack: Stack | HeldStack; read?: ServerRead }> {
  try {
    return await client.readStackFromServer(name, url, options);
  } catch (err) {
    if (!(err instanceof TooLargeToMoveError) || !store?.canRead) {
      throw err;
    }
    // (above the workbench's own limit the stack worker's reader says so, before reading)
    const { read, ...held } = await store.readFromServer(name, url, options);
    return { stack: held, read };
  }
}
