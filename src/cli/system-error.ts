/**
 * A system error as one line for people: its code and what it means
 * (`ENOSPC (no space left on device)`), never a stack trace.
 */

const MEANING: Record<string, string> = {
  EACCES: 'permission denied',
  EBADF: 'bad file descriptor',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'file exists',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EISDIR: 'is a directory',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
  ENOENT: 'no such file or directory',
  ENOSPC: 'no space left on device',
  ENOTDIR: 'not a directory',
  ENXIO: 'no such device or address',
  EPERM: 'operation not permitted',
  EPIPE: 'broken pipe',
  EROFS: 'read-only file system',
  ETXTBSY: 'text file busy',
};

export function describeSystemError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code === 'string') {
    const meaning = MEANING[e.code];
    return meaning !== undefined ? `${e.code} (${meaning})` : e.code;
  }
  return e instanceof Error ? e.message : String(err);
}
