import { open } from 'node:fs/promises';

/** Names of the top-level MP4 boxes in file order, e.g. ["ftyp", "moov", "mdat"]. Reads only box headers. */
export async function topLevelBoxes(path: string): Promise<string[]> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(16);
    const names: string[] = [];
    let offset = 0;
    while (offset + 8 <= size) {
      await handle.read(header, 0, 16, offset);
      let boxSize = header.readUInt32BE(0);
      const name = header.toString('latin1', 4, 8);
      if (boxSize === 1) boxSize = Number(header.readBigUInt64BE(8));
      if (boxSize === 0) boxSize = size - offset;
      if (boxSize < 8) break;
      names.push(name);
      offset += boxSize;
    }
    return names;
  } finally {
    await handle.close();
  }
}
