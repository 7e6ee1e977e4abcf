/**
 * A response body read as it arrives, up to a limit: past it the stream is cancelled (and with it
 * the connection) and `tooLarge` is thrown, so that an answer without end is never held whole.
 */
export async function readCapped(res: Response, max: number, tooLarge: () => Error): Promise<Buffer> {
  if (Number(res.headers.get('content-length')) > max) {
    await res.body?.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body)
    for await (const chunk of res.body) {
      size += chunk.byteLength;
      // Leaving the loop cancels the stream.
      if (size > max) throw tooLarge();
      chunks.push(chunk);
    }
  return Buffer.concat(chunks);
}
