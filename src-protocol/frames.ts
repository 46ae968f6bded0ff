// Binary output frames (issue 12): a session's output as raw UTF-8 behind a small header, so neither the
// hub nor a client builds or parses JSON for every keystroke's echo. Sent by the hub, only to WebSocket
// clients that asked for them with the subprotocol below; every other frame stays JSON text. Layout in
// docs/protocol.md ("Binary output frames").

/** The WebSocket subprotocol a client offers to receive `pty.output` as binary frames. */
export const BINARY_OUTPUT_PROTOCOL = 'switchboard.binary-output.v1';

/** The first byte of a binary frame: what it carries. Only output exists. */
export const FRAME_KIND_OUTPUT = 1;

/** kind (u8), session id length (u8), offset (f64 LE), chars (u32 LE); then the session id and the data. */
const HEADER_BYTES = 14;
const MAX_SESSION_ID_BYTES = 255;

/** A decoded output frame; `bytes` is a view into the frame (no copy), `chars` its length in UTF-16 units. */
export interface OutputFrame {
  session: string;
  offset: number;
  chars: number;
  bytes: Uint8Array;
}

/** Present in every runtime we target (Node, browsers, Electron); typed here as the package has no lib DOM. */
interface TextCodecs {
  TextEncoder: new () => { encode(text: string): Uint8Array };
  TextDecoder: new (
    label?: string,
    options?: { fatal?: boolean },
  ) => {
    decode(bytes: Uint8Array): string;
  };
}
const codecs = globalThis as unknown as TextCodecs;
const encoder = new codecs.TextEncoder();
const decoder = new codecs.TextDecoder('utf-8');

/** Thrown for a binary frame that is not a well-formed output frame (a hub of another version, junk). */
export class BinaryFrameError extends Error {}

/** One output frame: `data` is whole (the hub never splits a character), its offset and length in chars. */
export function encodeOutputFrame(session: string, offset: number, data: string): Uint8Array {
  const id = encoder.encode(session);
  if (id.length === 0 || id.length > MAX_SESSION_ID_BYTES)
    throw new Error(`Session id of ${id.length} bytes cannot go in a binary frame.`);
  const payload = encoder.encode(data);
  const frame = new Uint8Array(HEADER_BYTES + id.length + payload.length);
  const view = new DataView(frame.buffer);
  view.setUint8(0, FRAME_KIND_OUTPUT);
  view.setUint8(1, id.length);
  view.setFloat64(2, offset, true);
  view.setUint32(10, data.length, true);
  frame.set(id, HEADER_BYTES);
  frame.set(payload, HEADER_BYTES + id.length);
  return frame;
}

export function decodeOutputFrame(frame: Uint8Array): OutputFrame {
  if (frame.length < HEADER_BYTES)
    throw new BinaryFrameError(`Binary frame of ${frame.length} bytes is too short.`);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const kind = view.getUint8(0);
  if (kind !== FRAME_KIND_OUTPUT) throw new BinaryFrameError(`Unknown binary frame kind ${kind}.`);
  const idBytes = view.getUint8(1);
  const offset = view.getFloat64(2, true);
  if (idBytes === 0 || frame.length < HEADER_BYTES + idBytes || !Number.isSafeInteger(offset) || offset < 0)
    throw new BinaryFrameError('Malformed binary output frame header.');
  return {
    session: decoder.decode(frame.subarray(HEADER_BYTES, HEADER_BYTES + idBytes)),
    offset,
    chars: view.getUint32(10, true),
    bytes: frame.subarray(HEADER_BYTES + idBytes),
  };
}

/** The text of an output frame's bytes. */
export const outputText = (frame: OutputFrame): string => decoder.decode(frame.bytes);
