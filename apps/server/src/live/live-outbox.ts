// The messages a live client has not been sent yet, in order. A message with a key (a tick per instrument, a bar per
// instrument and interval, P&L, exposure, a position) replaces the pending one with the same key: the older one is
// dropped and the newer one goes to the end, so what follows it causally (a position after its fill) stays after it.

/** One message ready to send: its type, its coalescing key (null: never coalesced) and its JSON without `seq`. */
export interface LiveFrame {
  readonly type: string;
  readonly key: string | null;
  /** `{"type":…,…}`: the message without its per-connection `seq`. */
  readonly body: string;
  /**
   * A state message's content without its time (`connection`): a client is not sent one equal to the last of its
   * type it was given.
   */
  readonly state?: string;
}

interface Slot {
  frame: LiveFrame | null;
}

/** A FIFO of frames where a keyed frame replaces the pending frame of the same key (latest wins). */
export class LiveOutbox {
  #slots: Slot[] = [];
  #head = 0;
  #size = 0;
  /** Slots emptied by a replacement and not yet passed by shift(). */
  #holes = 0;
  readonly #byKey = new Map<string, Slot>();

  /** Returns how many frames wait. */
  get size(): number {
    return this.#size;
  }

  /** Appends a frame; returns the frame it replaced (same key, still pending), or null. */
  push(frame: LiveFrame): LiveFrame | null {
    const slot: Slot = { frame };
    let replaced: LiveFrame | null = null;
    if (frame.key !== null) {
      const previous = this.#byKey.get(frame.key);
      if (previous !== undefined && previous.frame !== null) {
        replaced = previous.frame;
        previous.frame = null;
        this.#size--;
        this.#holes++;
      }
      this.#byKey.set(frame.key, slot);
    }
    this.#slots.push(slot);
    this.#size++;
    // A stalled client watching a busy instrument replaces one tick many times: the holes are removed once they
    // outnumber the frames, so memory follows the pending frames, not the messages published.
    if (this.#holes > 1024 && this.#holes > this.#size) this.#removeHoles();
    return replaced;
  }

  /** Removes and returns the oldest frame, or undefined when none waits. */
  shift(): LiveFrame | undefined {
    while (this.#head < this.#slots.length) {
      const slot = this.#slots[this.#head++] as Slot;
      const frame = slot.frame;
      if (frame === null) {
        this.#holes--;
        continue;
      }
      slot.frame = null;
      this.#size--;
      if (frame.key !== null && this.#byKey.get(frame.key) === slot) this.#byKey.delete(frame.key);
      this.#compact();
      return frame;
    }
    this.#compact();
    return undefined;
  }

  /** Drops every pending frame. */
  clear(): void {
    this.#slots = [];
    this.#head = 0;
    this.#size = 0;
    this.#holes = 0;
    this.#byKey.clear();
  }

  /** Returns how many slots the queue holds (frames and holes); bounded by about twice the frames. */
  get slots(): number {
    return this.#slots.length - this.#head;
  }

  #removeHoles(): void {
    this.#slots = this.#slots.slice(this.#head).filter((slot) => slot.frame !== null);
    this.#head = 0;
    this.#holes = 0;
  }

  #compact(): void {
    if (this.#head === this.#slots.length) {
      this.#slots = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#slots.length) {
      this.#slots = this.#slots.slice(this.#head);
      this.#head = 0;
    }
  }
}
