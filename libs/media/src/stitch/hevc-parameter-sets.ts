import { VISUAL_ENTRY_FIELDS } from './copy-join/copy-clip';
import { readMp4, sampleEntryChild } from './copy-join/mp4-reader';

const PARAMETER_SET_TYPES = new Set([32, 33, 34]); // VPS, SPS, PPS
/** hvcC: 22 bytes of profile, level and layout fields, then the count of NAL unit arrays. */
const HVCC_ARRAYS_AT = 22;

/**
 * The VPS, SPS and PPS in an MP4's HEVC sample entry (hvcC), as one comparable key; undefined when the
 * file has no single HEVC sample entry. An hvc1 file carries its parameter sets only there, so HEVC
 * parts joined by stream copy must all have the same ones. SEI units (x265 writes its version and
 * options there) do not affect decoding and are left out.
 */
export function hevcParameterSets(path: string): string | undefined {
  try {
    const track = readMp4(path).tracks.find((t) => t.handler === 'vide');
    if (!track || track.sampleEntries.length !== 1) return undefined;
    const [entry] = track.sampleEntries;
    if (!['hvc1', 'hev1'].includes(entry.toString('latin1', 4, 8))) return undefined;
    const hvcC = sampleEntryChild(entry, VISUAL_ENTRY_FIELDS, 'hvcC');
    if (!hvcC) return undefined;
    const sets: string[] = [];
    let at = HVCC_ARRAYS_AT;
    const arrays = hvcC[at++];
    for (let a = 0; a < arrays; a++) {
      const type = hvcC[at] & 0x3f;
      const count = hvcC.readUInt16BE(at + 1);
      at += 3;
      for (let n = 0; n < count; n++) {
        const length = hvcC.readUInt16BE(at);
        if (PARAMETER_SET_TYPES.has(type)) sets.push(`${type}:${hvcC.toString('hex', at + 2, at + 2 + length)}`);
        at += 2 + length;
      }
    }
    return sets.length > 0 ? sets.join('/') : undefined;
  } catch {
    return undefined;
  }
}
