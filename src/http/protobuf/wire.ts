/** The protobuf wire format, read only: varints, fixed 32/64-bit values, length-delimited bytes. */
/** Malformed protobuf data (turned into a 400 by the caller). */
export class ProtobufError extends Error {}

export const WireType = { Varint: 0, Fixed64: 1, Bytes: 2, StartGroup: 3, EndGroup: 4, Fixed32: 5 } as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

export interface WireField {
  number: number;
  wire: WireType;
  /** Varint fields. */
  varint?: bigint;
  /** Length-delimited and fixed-width fields. */
  bytes?: Buffer;
}

export class WireReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new ProtobufError('unexpected end of data in a varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new ProtobufError('a varint is longer than 10 bytes');
  }

  private take(n: number): Buffer {
    if (n < 0 || this.pos + n > this.buf.length) throw new ProtobufError('unexpected end of data: a field runs past the end of its message');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  next(): WireField {
    const key = this.varint();
    const number = Number(key >> 3n);
    const wire = Number(key & 7n) as WireType;
    if (number === 0) throw new ProtobufError('field number 0 is not valid');
    switch (wire) {
      case WireType.Varint:
        return { number, wire, varint: this.varint() };
      case WireType.Fixed64:
        return { number, wire, bytes: this.take(8) };
      case WireType.Bytes: {
        const len = this.varint();
        if (len > BigInt(this.buf.length)) throw new ProtobufError('unexpected end of data: a field runs past the end of its message');
        return { number, wire, bytes: this.take(Number(len)) };
      }
      case WireType.Fixed32:
        return { number, wire, bytes: this.take(4) };
      default:
        throw new ProtobufError(`wire type ${wire} (field ${number}) is not supported`);
    }
  }

  *fields(): Generator<WireField> {
    while (!this.done()) yield this.next();
  }
}
