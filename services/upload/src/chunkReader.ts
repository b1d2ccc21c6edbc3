import { AppError, badRequest } from '@storyreel/shared';

/**
 * Reads exactly `length` bytes of a request body. More is refused as soon
 * as it arrives (413), without buffering it; fewer (the client stopped
 * early) is a 400, and the chunk is not stored.
 */
export async function readExactly(body: AsyncIterable<Uint8Array>, length: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const piece of body) {
    received += piece.length;
    if (received > length) {
      throw new AppError('payload_too_large', `the chunk is longer than its Content-Range says (${length} bytes)`);
    }
    chunks.push(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
  }
  if (received < length) {
    throw badRequest(`the chunk ended after ${received} of the ${length} bytes its Content-Range announced`, {
      received,
      expected: length,
    });
  }
  return Buffer.concat(chunks, length);
}
