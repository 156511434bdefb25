// A wait for a moment on an injectable clock that shutdown cuts short.

/** Waits until `at` (epoch ms), or rejects when `stop` aborts. */
export function sleepUntil(at: number, now: () => number, stop: AbortSignal): Promise<void> {
  const ms = at - now();
  if (stop.aborted) return Promise.reject(new Error('stopped'));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (): void => {
      stop.removeEventListener('abort', onStop);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const onStop = (): void => {
      clearTimeout(timer);
      reject(new Error('stopped'));
    };
    stop.addEventListener('abort', onStop, { once: true });
  });
}
