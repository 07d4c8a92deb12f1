/**
 * Counters of what the ticker decoder saw, so that no skipped or malformed packet goes unnoticed.
 * A decoder call increments the counters of the stats object it is given.
 */
export class TickerDecodeStats {
  /** Binary frames seen, heartbeats included. */
  frames = 0;
  /** 1-byte heartbeat frames. */
  heartbeats = 0;
  /** Packets whose length header was read inside the frame. */
  packets = 0;
  /** Ticks produced. */
  ticks = 0;
  /** Packets of the currency segments (CDS, BCD), whose prices are not whole paise. */
  skippedCurrency = 0;
  /** Packets of a segment id the protocol reference does not list. */
  skippedUnknownSegment = 0;
  /** Packets with a length that matches no type, or that overrun the frame. */
  malformedPackets = 0;
  /** Frames with a broken header (empty) or bytes after the declared packets. */
  malformedFrames = 0;

  /** Returns a plain copy of the counters. */
  snapshot(): Readonly<Record<TickerDecodeCounter, number>> {
    return {
      frames: this.frames,
      heartbeats: this.heartbeats,
      packets: this.packets,
      ticks: this.ticks,
      skippedCurrency: this.skippedCurrency,
      skippedUnknownSegment: this.skippedUnknownSegment,
      malformedPackets: this.malformedPackets,
      malformedFrames: this.malformedFrames,
    };
  }
}

/** The name of one TickerDecodeStats counter. */
export type TickerDecodeCounter =
  | 'frames'
  | 'heartbeats'
  | 'packets'
  | 'ticks'
  | 'skippedCurrency'
  | 'skippedUnknownSegment'
  | 'malformedPackets'
  | 'malformedFrames';
