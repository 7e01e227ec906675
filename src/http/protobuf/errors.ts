/** Malformed protobuf data (turned into a 400 by decodeProtobufObject). */
export class ProtobufError extends Error {}
