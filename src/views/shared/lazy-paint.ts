/**
 * Painting what is on screen first: tiles scrolled out of sight keep their
 * latest paint job and run it when they come into view (an
 * IntersectionObserver on the scrolled view). Used for τ moves, where every
 * millisecond shows.
 */
export class LazyPainter<T extends { node: Element }> {
  constructor(rootMarginPx = 100) {
    this._observer = new IntersectionObserver(
      entries => {
        for (const e of entries) {
          const item = this._items.get(e.target);
          if (!item) {
            continue;
          }
          if (e.isIntersecting) {
            this._onScreen.add(item);
            this._run(item);
          } else {
            this._onScreen.delete(item);
          }
        }
      },
      { rootMargin: `${rootMarginPx}px` }
    );
  }

  observe(item: T): void {
    this._items.set(item.node, item);
    this._observer.observe(item.node);
  }

  forget(item: T): void {
    this._observer.unobserve(item.node);
    this._items.delete(item.node);
    this._onScreen.delete(item);
    this._pending.delete(item);
  }

  /** Paint now (`eager`, or on screen), else when the item comes into view. */
  paint(item: T, job: () => void, eager: boolean): void {
    if (eager || this._onScreen.has(item)) {
      this._pending.delete(item);
      job();
    } else {
      this._pending.set(item, job);
    }
  }

  /** Run every deferred job (before an export reads the canvases). */
  flush(): void {
    for (const job of this._pending.values()) {
      job();
    }
    this._pending.clear();
  }

  dispose(): void {
    this._observer.disconnect();
    this._pending.clear();
  }

  private _run(item: T): void {
    const job = this._pending.get(item);
    if (job) {
      this._pending.delete(item);
      job();
    }
  }

  private readonly _observer: IntersectionObserver;
  private readonly _items = new Map<Element, T>();
  private readonly _onScreen = new Set<T>();
  private readonly _pending = new Map<T, () => void>();
}
