import { gzipSync } from 'node:zlib';

/**
 * A gzip-compressed tar archive (POSIX ustar) of a few small files, in
 * memory. Written here rather than taken from a package: the agent bundle is
 * a handful of files under one folder, the format is a 512-byte header per
 * entry, and the one well-kept writer (tar-stream) is only a transitive
 * development dependency here, stream-based and not worth a runtime
 * dependency of the gateway for this. Readable by GNU tar, bsdtar and
 * Node's own tooling.
 */

export interface TarEntry {
  /** A relative path with `/` separators; folders end with `/` and have no content. */
  path: string;
  content?: Buffer;
  /** Octal permission bits; 0o644 for files and 0o755 for folders when absent. */
  mode?: number;
}

const BLOCK = 512;

/** The archive of `entries`, in order, gzip-compressed. */
export function tarGz(entries: readonly TarEntry[], modifiedAt: Date = new Date()): Buffer {
  const mtime = Math.floor(modifiedAt.getTime() / 1000);
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const folder = entry.path.endsWith('/');
    const content = folder ? Buffer.alloc(0) : (entry.content ?? Buffer.alloc(0));
    blocks.push(header(entry.path, content.length, entry.mode ?? (folder ? 0o755 : 0o644), mtime));
    if (content.length > 0) {
      blocks.push(content, Buffer.alloc((BLOCK - (content.length % BLOCK)) % BLOCK));
    }
  }
  // The end of the archive: two empty blocks.
  blocks.push(Buffer.alloc(2 * BLOCK));
  return gzipSync(Buffer.concat(blocks));
}

function header(path: string, size: number, mode: number, mtime: number): Buffer {
  if (path.startsWith('/') || path.split('/').includes('..')) {
    throw new Error(`tar: ${path} is not a relative path inside the archive`);
  }
  const { name, prefix } = splitPath(path);
  const block = Buffer.alloc(BLOCK);
  writeText(block, 0, 100, name);
  writeOctal(block, 100, 8, mode);
  writeOctal(block, 108, 8, 0); // uid
  writeOctal(block, 116, 8, 0); // gid
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, mtime);
  block.fill(' ', 148, 156); // the checksum counts its own field as spaces
  block.write(path.endsWith('/') ? '5' : '0', 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  writeText(block, 265, 32, 'warden');
  writeText(block, 297, 32, 'warden');
  writeText(block, 345, 155, prefix);
  let checksum = 0;
  for (const byte of block) checksum += byte;
  // Six octal digits, NUL, space: what every reader accepts.
  block.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

/** ustar keeps up to 100 bytes of name and 155 of prefix (the folders before it). */
function splitPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  const cut = trimmed.lastIndexOf('/', trimmed.length - 1);
  const prefix = cut > 0 ? trimmed.slice(0, cut) : '';
  const name = path.slice(prefix.length + 1);
  if (cut <= 0 || Buffer.byteLength(prefix) > 155 || Buffer.byteLength(name) > 100) {
    throw new Error(`tar: ${path} is too long for a ustar header`);
  }
  return { name, prefix };
}

function writeText(block: Buffer, offset: number, length: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > length) throw new Error(`tar: "${text}" is longer than ${length} bytes`);
  bytes.copy(block, offset);
}

/** A number as octal digits ending in NUL, filling the field. */
function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  const digits = value.toString(8);
  if (digits.length > length - 1) throw new Error(`tar: ${value} does not fit ${length} bytes`);
  block.write(`${digits.padStart(length - 1, '0')}\0`, offset, 'ascii');
}
