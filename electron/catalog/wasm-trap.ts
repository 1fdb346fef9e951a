// A guard for parquet-wasm's asynchronous calls. Its futures run on wasm-bindgen's task queue, which
// polls them inside a queueMicrotask callback. Where Rust panics there (parquet-wasm 0.8's asynchronous
// reader does on a page it cannot decode, where its synchronous reader returns an error), WebAssembly
// traps with `RuntimeError: unreachable` thrown from that callback: an uncaught exception that ends the
// process before any cleanup, while the call's promise never settles. While a guarded call is in flight
// the global queueMicrotask is wrapped so that such a trap rejects the guarded calls instead. A trap
// leaks whatever the panicking task held in the WebAssembly heap (and leaves its objects borrowed);
// later calls have been seen to work, but nothing guarantees it.

type Reject = (error: Error) => void;

const inFlight = new Set<Reject>();
/** The queueMicrotask that was in place before ours, and ours, while installed. */
let installed: { plain: typeof queueMicrotask; wrapper: typeof queueMicrotask } | null = null;

function guarded(callback: VoidFunction): void {
  try {
    callback();
  } catch (error) {
    // A trap in another task fails every guarded call: which one trapped cannot be told.
    if (!(error instanceof WebAssembly.RuntimeError) || inFlight.size === 0) throw error;
    for (const reject of inFlight) reject(error);
  }
}

function install(): void {
  if (installed !== null) return;
  const plain = globalThis.queueMicrotask;
  const wrapper: typeof queueMicrotask = (callback) => plain(() => guarded(callback));
  installed = { plain, wrapper };
  globalThis.queueMicrotask = wrapper;
}

function uninstall(): void {
  if (inFlight.size > 0 || installed === null) return;
  // Someone who replaced it since (a test's fake timers) keeps theirs.
  if (globalThis.queueMicrotask === installed.wrapper) globalThis.queueMicrotask = installed.plain;
  installed = null;
}

/** The promise `start` returns, rejected with the WebAssembly trap if one happens while it runs. */
export async function trapping<T>(start: () => Promise<T>): Promise<T> {
  let reject: Reject = () => undefined;
  const trapped = new Promise<never>((_, fail) => {
    reject = fail;
  });
  inFlight.add(reject);
  install();
  try {
    return await Promise.race([start(), trapped]);
  } finally {
    inFlight.delete(reject);
    uninstall();
  }
}
