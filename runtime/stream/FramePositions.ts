/**
 * The byte position of each frame of one segment, in about 2 bytes a frame rather than 4. The
 * embedded log keeps one for every record it holds (1,000,000 turns are some 3,000,000 frames),
 * so this is most of what a long log costs in memory besides the session index.
 *
 * Every BLOCK-th position is kept whole; each other one as the step from the position before it
 * (16 bits: in a segment that is the previous frame's size, and records are small). A step that
 * does not fit is rare and kept in a map. Positions are added in increasing order.
 */
const BLOCK = 32;
/** a step marked so is in `farSteps` */
const FAR = 0;
const MAX_STEP = 0xffff;

export class FramePositions {
  private starts: Uint32Array;
  /** steps[i]: position(i) - position(i - 1); unused where i starts a block */
  private steps: Uint16Array;
  private readonly farSteps = new Map<number, number>();
  private last = 0;
  private count = 0;
  /** the frame `at` was last asked for, and its position */
  private lastAsked = -1;
  private lastAnswer = 0;

  constructor(capacity = 1024) {
    this.steps = new Uint16Array(capacity);
    this.starts = new Uint32Array(Math.ceil(capacity / BLOCK));
  }

  /** Positions taken whole, e.g. from an index snapshot. */
  static from(positions: ArrayLike<number>): FramePositions {
    const table = new FramePositions(Math.max(1024, positions.length));
    for (let i = 0; i < positions.length; i++) table.push(positions[i]);
    return table;
  }

  /** How many positions it holds. */
  get length(): number {
    return this.count;
  }

  /** Memory held, room to grow included (for stats). */
  get byteLength(): number {
    return this.steps.byteLength + this.starts.byteLength + this.farSteps.size * 16;
  }

  /** Adds the position of the next frame (greater than the last one). */
  push(position: number): void {
    const i = this.count;
    if (i === this.steps.length) this.grow(Math.max(BLOCK, 2 * i));
    if (i % BLOCK === 0) {
      this.starts[i / BLOCK] = position;
    } else {
      const step = position - this.last;
      if (step > FAR && step <= MAX_STEP) {
        this.steps[i] = step;
      } else {
        this.steps[i] = FAR;
        this.farSteps.set(i, step);
      }
    }
    this.last = position;
    this.count = i + 1;
  }

  /** The position of frame `i` (0 <= i < length). */
  at(i: number): number {
    const first = i - (i % BLOCK);
    // Reads ask for a frame and then the next ones (a turn's records, each frame's end): go on from the last answer when it is on the way.
    const onTheWay = this.lastAsked >= first && this.lastAsked <= i;
    let k = onTheWay ? this.lastAsked : first;
    let position = onTheWay ? this.lastAnswer : this.starts[first / BLOCK];
    while (k < i) {
      k += 1;
      position += this.steps[k] === FAR ? this.farSteps.get(k)! : this.steps[k];
    }
    this.lastAsked = i;
    this.lastAnswer = position;
    return position;
  }

  /** Lets go of the room kept for more positions (its segment is complete). */
  trim(): void {
    if (this.steps.length > this.count) this.grow(this.count);
  }

  /** Every position, whole (what an index snapshot stores). */
  toArray(): Uint32Array {
    const positions = new Uint32Array(this.count);
    for (let i = 0; i < this.count; i++) positions[i] = i % BLOCK === 0 ? this.starts[i / BLOCK] : positions[i - 1] + (this.steps[i] === FAR ? this.farSteps.get(i)! : this.steps[i]);
    return positions;
  }

  private grow(capacity: number): void {
    const steps = new Uint16Array(capacity);
    steps.set(this.steps.subarray(0, this.count));
    this.steps = steps;
    const starts = new Uint32Array(Math.ceil(capacity / BLOCK));
    starts.set(this.starts.subarray(0, Math.ceil(this.count / BLOCK)));
    this.starts = starts;
  }
}
