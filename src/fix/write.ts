// Writing a fixed file back: the same encoding and BOM as it had, atomically (a temporary file
// in the same directory, then a rename), keeping its mode and owner.
import writeFileAtomic from 'write-file-atomic';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Encodes `text` the way `originalText` was stored in `originalBytes`. Line breaks need no care:
 * fixes keep the file's own (see apply.ts). Returns a reason when the encoding cannot be
 * reproduced exactly (a PEP 263 codec other than UTF-8 or Latin-1), so the file is left alone.
 */
export function encodeLike(originalBytes: Uint8Array, originalText: string, bom: boolean, text: string): Buffer | { error: string } {
  const utf8 = Buffer.from(originalText, 'utf8');
  const withBom = bom ? Buffer.concat([BOM, utf8]) : utf8;
  if (withBom.equals(originalBytes)) {
    const out = Buffer.from(text, 'utf8');
    return bom ? Buffer.concat([BOM, out]) : out;
  }
  if (!bom && isLatin1(originalText) && Buffer.from(originalText, 'latin1').equals(originalBytes)) {
    if (!isLatin1(text)) return { error: 'the fix adds characters that the file\'s Latin-1 encoding cannot hold' };
    return Buffer.from(text, 'latin1');
  }
  return { error: "the file's encoding cannot be written back byte for byte (declared codec other than UTF-8 or Latin-1)" };
}

function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

/** Replaces the file's content atomically; mode and owner are kept (write-file-atomic stats the old file). */
export function writeAtomic(path: string, data: Buffer): void {
  writeFileAtomic.sync(path, data);
}
