/**
 * A worker for tests: the compute worker's own handlers (compute.ts) behind
 * a real MessageChannel, so requests and answers are cloned and transferred
 * as a browser's postMessage does it.
 */
import { handleRun, storeHandler, type Post, type ServerReader } from './compute.js';
import {
  failure,
  type StoreRequest,
  type WorkerLike,
  type WorkerRequest,
  type WorkerResponse
} from './protocol.js';

/**
 * A worker reached through a real MessageChannel (Node's structured clone and
 * transfer, as a browser's postMessage does them) that runs the compute
 * worker's own handlers (compute.ts) on the other side.
 */
export class ChannelComputeWorker implements WorkerLike {
  readonly channel = new MessageChannel();
  readonly received: (WorkerRequest | StoreRequest)[] = [];
  /** What the worker's side posted: id, kind ('failure' and its message for a failure). */
  readonly answered: { id: number; ok: boolean; kind: string; message?: string }[] = [];
  terminated = false;
  private readonly listeners = new Map<string, ((ev: never) => void)[]>();

  /** `readUrl`: what a stack worker of the full bundle reads a file from the server with. */
  constructor(readUrl?: ServerReader) {
    const handle = storeHandler(undefined, { readUrl });
    const post: Post = (message, transfer = []) => {
      this.answered.push({
        id: message.id,
        ok: message.ok,
        kind: message.ok ? message.kind : 'failure',
        message: message.ok ? undefined : message.message
      });
      this.channel.port2.postMessage(message, transfer);
    };
    this.channel.port2.onmessage = (ev: MessageEvent<WorkerRequest | StoreRequest>) => {
      const req = ev.data;
      this.received.push(req);
      const work = req.kind.startsWith('store-')
        ? handle(req as StoreRequest, post)
        : handleRun(req as Extract<WorkerRequest, { kind: 'run' }>, post);
      work.catch((err: unknown) => post(failure(req.id, err)));
    };
    this.channel.port1.onmessage = (ev: MessageEvent<WorkerResponse>) => {
      for (const l of this.listeners.get('message') ?? []) {
        (l as (ev: MessageEvent<WorkerResponse>) => void)(ev);
      }
    };
  }

  postMessage(message: unknown, transfer: Transferable[]): void {
    this.channel.port1.postMessage(message, transfer);
  }

  addEventListener(type: 'message' | 'error', listener: (ev: never) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  /** What the browser does when a worker dies (out of memory). */
  crash(message: string): void {
    for (const l of this.listeners.get('error') ?? []) {
      (l as (ev: ErrorEvent) => void)({ message } as ErrorEvent);
    }
  }

  terminate(): void {
    this.terminated = true;
    this.channel.port1.close();
    this.channel.port2.close();
  }
}
