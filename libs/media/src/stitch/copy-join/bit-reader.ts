/** Reads a byte string bit by bit, most significant first, with H.264's Exp-Golomb codes. */
export class BitReader {
  private bit = 0;

  constructor(private readonly bytes: Uint8Array) {}

  read(bits: number): number {
    let value = 0;
    for (let i = 0; i < bits; i++) {
      const byte = this.bytes[this.bit >> 3];
      if (byte === undefined) throw new RangeError('read past the end');
      value = value * 2 + ((byte >> (7 - (this.bit & 7))) & 1);
      this.bit++;
    }
    return value;
  }

  flag(): boolean {
    return this.read(1) === 1;
  }

  /** ue(v) */
  unsigned(): number {
    let zeros = 0;
    while (this.read(1) === 0) {
      if (++zeros > 31) throw new RangeError('bad Exp-Golomb code');
    }
    return 2 ** zeros - 1 + this.read(zeros);
  }

  /** se(v) */
  signed(): number {
    const code = this.unsigned();
    return code % 2 === 1 ? (code + 1) / 2 : -code / 2;
  }
}
