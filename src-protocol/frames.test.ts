// Binary output frames (issue 12): what the hub encodes, every client decodes to the same session, offset,
// length and text; anything else is refused with BinaryFrameError, never misread.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BinaryFrameError,
  decodeOutputFrame,
  encodeOutputFrame,
  FRAME_KIND_OUTPUT,
  outputText,
} from './frames.js';

describe('binary output frames', () => {
  it('carry the session, offset, length in chars and the text, through any text', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        (session, offset, data) => {
          const frame = decodeOutputFrame(encodeOutputFrame(session, offset, data));
          expect(frame).toMatchObject({ session, offset, chars: data.length });
          expect(outputText(frame)).toBe(data);
        },
      ),
    );
  });

  it('put the kind first and the raw UTF-8 last, behind a 14-byte header and the id', () => {
    const frame = encodeOutputFrame('s1', 7, 'é\r\n');
    expect(frame[0]).toBe(FRAME_KIND_OUTPUT);
    expect(frame[1]).toBe(2);
    expect(new DataView(frame.buffer).getFloat64(2, true)).toBe(7);
    expect(new DataView(frame.buffer).getUint32(10, true)).toBe(3); // chars, not bytes
    expect([...frame.subarray(14)]).toEqual([0x73, 0x31, 0xc3, 0xa9, 0x0d, 0x0a]);
  });

  it('decode a frame that is a view into a larger buffer (as ws hands them over)', () => {
    const inner = encodeOutputFrame('abc', 1, 'hi');
    const outer = new Uint8Array(inner.length + 5);
    outer.set(inner, 3);
    const frame = decodeOutputFrame(outer.subarray(3, 3 + inner.length));
    expect(frame.session).toBe('abc');
    expect(outputText(frame)).toBe('hi');
  });

  it('refuse short, unknown and malformed frames', () => {
    const good = encodeOutputFrame('s', 0, 'x');
    const unknownKind = good.slice();
    unknownKind[0] = 9;
    const idPastEnd = good.slice(0, 14);
    idPastEnd[1] = 40;
    const negativeOffset = good.slice();
    new DataView(negativeOffset.buffer).setFloat64(2, -1, true);
    const noId = good.slice();
    noId[1] = 0;
    for (const bad of [new Uint8Array(3), unknownKind, idPastEnd, negativeOffset, noId])
      expect(() => decodeOutputFrame(bad)).toThrow(BinaryFrameError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        try {
          const frame = decodeOutputFrame(bytes);
          expect(Number.isSafeInteger(frame.offset)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(BinaryFrameError);
        }
      }),
    );
  });

  it('will not take a session id that does not fit its length byte', () => {
    expect(() => encodeOutputFrame('', 0, 'x')).toThrow();
    expect(() => encodeOutputFrame('x'.repeat(256), 0, 'x')).toThrow();
  });
});
